"""The failures `iskabm report` expects, each with its exit code (sysexits.h)."""


class ReportError(Exception):
    """A failure reported as one line `error: <message>`; the message names the file."""

    exit_code = 1


class InputDataError(ReportError):
    """The input file or an observed data file is unreadable or lacks what the report needs."""

    exit_code = 65
