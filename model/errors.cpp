#include "model/errors.hpp"

#include <fmt/format.h>

namespace iskabm {

namespace {
std::string format_data_error(const std::string& file, std::size_t line, const std::string& field,
                              const std::string& message) {
  std::string where = line > 0 ? fmt::format("{}:{}", file, line) : file;
  if (field.empty()) return fmt::format("{}: {}", where, message);
  return fmt::format("{}: {}: {}", where, field, message);
}
}  // namespace

DataError::DataError(std::string file, std::size_t line, std::string field, std::string message)
    : Error(format_data_error(file, line, field, message)),
      file_(std::move(file)),
      line_(line),
      field_(std::move(field)),
      message_(std::move(message)) {}

}  // namespace iskabm
