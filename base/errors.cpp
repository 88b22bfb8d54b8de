#include "base/errors.hpp"

#include <fmt/format.h>

namespace iskabm {

namespace {
std::string format_data_error(const std::string& file, std::size_t line, std::size_t column, const std::string& field,
                              const std::string& message) {
  std::string where = line == 0     ? file
                      : column == 0 ? fmt::format("{}:{}", file, line)
                                    : fmt::format("{}:{}:{}", file, line, column);
  if (field.empty()) return fmt::format("{}: {}", where, message);
  return fmt::format("{}: {}: {}", where, field, message);
}
}  // namespace

DataError::DataError(std::string file, std::size_t line, std::string field, std::string message)
    : DataError(std::move(file), line, 0, std::move(field), std::move(message)) {}

DataError::DataError(std::string file, std::size_t line, std::size_t column, std::string field, std::string message)
    : Error(format_data_error(file, line, column, field, message)),
      file_(std::move(file)),
      line_(line),
      column_(column),
      field_(std::move(field)),
      message_(std::move(message)) {}

}  // namespace iskabm
