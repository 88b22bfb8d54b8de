#!/usr/bin/python3
"""The Python half of `iskabm report`: figures (PNG), report.html and figures.tsv for a result file
of `iskabm run`, a posterior file of `iskabm calibrate` or a result file of `iskabm sensitivity`.

    /usr/bin/python3 report/iskabm_report.py --input INPUT.h5 --kind run|posterior|sensitivity \\
        [--baseline BASE.h5 --differences DIFF.csv] --observed DATA_DIR --output OUT_DIR

The C++ command validates the inputs and calls this script with its staging directory as OUT_DIR
(which may already hold differences.csv).

Exit codes: 0 success; 1 failure (usage, output directory, unexpected error); 65 bad input data
(the message names the file); 69 a required Python package cannot be imported.
Set ISKABM_REPORT_TRACEBACK=1 to see the traceback of an unexpected error."""

import importlib
import os
import sys

EXIT_FAILURE, EXIT_DATA_ERROR, EXIT_UNAVAILABLE = 1, 65, 69

# Module imported -> Debian bookworm package that provides it.
REQUIRED_PACKAGES = [("matplotlib", "python3-matplotlib"), ("numpy", "python3-numpy"), ("pandas", "python3-pandas"),
                     ("xarray", "python3-xarray"), ("netCDF4", "python3-netcdf4"), ("h5py", "python3-h5py"),
                     ("geopandas", "python3-geopandas")]


def fail(message, code):
    print(f"error: {message}", file=sys.stderr)
    sys.exit(code)


def check_imports():
    """Import every package the report needs; name the missing ones and their Debian packages."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    missing = []
    for module, package in REQUIRED_PACKAGES:
        try:
            importlib.import_module(module)
        except Exception:  # ImportError, or a broken installation failing on import
            missing.append((module, package))
    if missing:
        fail(f"iskabm report needs Python packages that {sys.executable} cannot import: "
             f"{', '.join(m for m, _ in missing)}; install them with: apt-get install "
             f"{' '.join(p for _, p in missing)}", EXIT_UNAVAILABLE)
    import matplotlib

    matplotlib.use("Agg")


def parse_arguments(argv):
    import argparse

    class Parser(argparse.ArgumentParser):
        def error(self, message):
            usage = " ".join(self.format_usage().split()).removeprefix("usage: ")
            fail(f"iskabm_report.py: {message} (usage: {usage})", EXIT_FAILURE)

    parser = Parser(prog="iskabm_report.py", description="Figures and report.html for an iskabm run or posterior file.")
    parser.add_argument("--input", required=True,
                        help="result file of iskabm run, or posterior file of iskabm calibrate")
    parser.add_argument("--kind", required=True, choices=["run", "posterior", "sensitivity"], help="what INPUT is")
    parser.add_argument("--baseline", help="baseline result file (run reports only; needs --differences)")
    parser.add_argument("--differences", help="CSV of iskabm compare BASE INPUT --csv (with --baseline)")
    parser.add_argument("--observed", required=True, help="the observed data directory (data/)")
    parser.add_argument("--output", required=True, help="existing directory for the report (without one already)")
    parser.add_argument("--progress", action="store_true", help="a line on stderr per figure drawn")
    args = parser.parse_args(argv)
    if (args.baseline is None) != (args.differences is None):
        parser.error("--baseline and --differences go together")
    if args.baseline and args.kind != "run":
        parser.error("--baseline applies to --kind run only")
    if not os.path.isdir(args.output):
        fail(f"{args.output}: the output directory does not exist", EXIT_FAILURE)
    # The directory is iskabm's staging directory: it may already hold differences.csv.
    if any(name.endswith(".png") or name in ("report.html", "figures.tsv") for name in os.listdir(args.output)):
        fail(f"{args.output}: the output directory already holds a report", EXIT_FAILURE)
    if not os.path.isdir(args.observed):
        fail(f"{args.observed}: the observed data directory does not exist", EXIT_DATA_ERROR)
    return args


def main(argv):
    check_imports()
    sys.dont_write_bytecode = True  # leave no __pycache__ beside the script
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from iskabm_report_lib.build import build_report
    from iskabm_report_lib.errors import ReportError
    from iskabm_report_lib.inputs import one_line

    args = parse_arguments(argv)
    try:
        build_report(args.kind, args.input, args.observed, args.output, args.baseline, args.differences,
                     args.progress)
    except ReportError as e:
        fail(str(e), e.exit_code)
    except OSError as e:
        fail(f"{e.filename or args.output}: {e.strerror or one_line(e)}", EXIT_FAILURE)
    except Exception as e:
        if os.environ.get("ISKABM_REPORT_TRACEBACK"):
            raise
        fail(f"iskabm report failed on {args.input}: {type(e).__name__}: {one_line(e)} "
             "(a bug: set ISKABM_REPORT_TRACEBACK=1 for the traceback)", EXIT_FAILURE)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
