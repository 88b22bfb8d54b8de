#pragma once
// The error hierarchy of iskabm. Every error a user can cause is one of these, and each maps to
// one sysexits-style exit code in exactly one place (exit_code()).
#include <cstddef>
#include <stdexcept>
#include <string>

namespace iskabm {

enum class ExitCode : int {
  ok = 0,
  usage = 64,        // EX_USAGE: bad command line
  data = 65,         // EX_DATAERR: malformed input data, scenario or parameter file
  unavailable = 69,  // EX_UNAVAILABLE: a required external program or package is missing
  internal = 70,     // EX_SOFTWARE: a bug in iskabm
  io = 74,           // EX_IOERR: a file could not be read or written
  busy = 75,         // EX_TEMPFAIL: the output is being written by another process; try again later
};

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
  [[nodiscard]] virtual ExitCode exit_code() const noexcept { return ExitCode::internal; }
};

class UsageError : public Error {
 public:
  using Error::Error;
  [[nodiscard]] ExitCode exit_code() const noexcept override { return ExitCode::usage; }
};

class IoError : public Error {
 public:
  using Error::Error;
  [[nodiscard]] ExitCode exit_code() const noexcept override { return ExitCode::io; }
};

// The output is being written by another iskabm process (its lock is held): nothing was changed.
class BusyError : public Error {
 public:
  using Error::Error;
  [[nodiscard]] ExitCode exit_code() const noexcept override { return ExitCode::busy; }
};

// A program or package iskabm calls out to (e.g. the Python plotting stack of `report`) is missing.
class UnavailableError : public Error {
 public:
  using Error::Error;
  [[nodiscard]] ExitCode exit_code() const noexcept override { return ExitCode::unavailable; }
};

// Bad input data: names the file, the 1-based line (0 when the problem is the file as a whole),
// optionally the 1-based column (0: none), and the offending field (CSV column or TOML key; empty
// when none applies).
//   what() == "<file>:<line>[:<column>]: <field>: <message>"
class DataError : public Error {
 public:
  DataError(std::string file, std::size_t line, std::string field, std::string message);
  DataError(std::string file, std::size_t line, std::size_t column, std::string field, std::string message);

  [[nodiscard]] ExitCode exit_code() const noexcept override { return ExitCode::data; }
  [[nodiscard]] const std::string& file() const noexcept { return file_; }
  [[nodiscard]] std::size_t line() const noexcept { return line_; }
  [[nodiscard]] std::size_t column() const noexcept { return column_; }
  [[nodiscard]] const std::string& field() const noexcept { return field_; }
  [[nodiscard]] const std::string& message() const noexcept { return message_; }

 private:
  std::string file_;
  std::size_t line_;
  std::size_t column_ = 0;
  std::string field_;
  std::string message_;
};

}  // namespace iskabm
