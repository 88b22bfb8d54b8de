#pragma once
// The project's one CSV writer (RFC 4180): comma-separated, a header row, "\n" line ends, a field
// quoted only when it holds a comma, a double quote or a line break (inner quotes doubled).
// Numbers are written as fmt writes them ("{}": the shortest text that reads back exactly; NaN as
// "nan") unless the caller formats them first. Every row must have the header's field count.
#include <fmt/format.h>

#include <concepts>
#include <cstddef>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

namespace iskabm {

// One field, quoted when it must be.
[[nodiscard]] std::string csv_field(std::string_view s);

class CsvWriter {
 public:
  explicit CsvWriter(std::vector<std::string> header);

  // One row: strings are quoted when they must be, numbers written with "{}".
  template <class... Fields>
  CsvWriter& row(const Fields&... fields) {
    static_assert(sizeof...(Fields) > 0);
    begin_row(sizeof...(Fields));
    std::size_t k = 0;
    ((append(k++, fields)), ...);
    text_ += '\n';
    return *this;
  }
  // One row of already formatted fields.
  CsvWriter& row(const std::vector<std::string>& fields);

  [[nodiscard]] const std::string& text() const noexcept { return text_; }
  [[nodiscard]] std::size_t rows() const noexcept { return rows_; }
  [[nodiscard]] std::size_t columns() const noexcept { return columns_; }

 private:
  void begin_row(std::size_t fields);  // throws Error on a count that differs from the header's
  void separator(std::size_t k) {
    if (k > 0) text_ += ',';
  }
  void append(std::size_t k, std::string_view s) {
    separator(k);
    text_ += csv_field(s);
  }
  void append(std::size_t k, const std::string& s) { append(k, std::string_view(s)); }
  void append(std::size_t k, const char* s) { append(k, std::string_view(s)); }
  template <class T>
  requires std::integral<T> || std::floating_point<T>
  void append(std::size_t k, T x) {
    separator(k);
    fmt::format_to(std::back_inserter(text_), "{}", x);
  }

  std::size_t columns_;
  std::size_t rows_ = 0;
  std::string text_;
};

}  // namespace iskabm
