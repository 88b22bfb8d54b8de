#pragma once
// A small RFC 4180 CSV reader for the bundled data files. It keeps, for every record, the line
// it starts on, so every validation error can name file, line and column. Typed accessors throw
// DataError on anything that is not exactly what the caller asked for.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/calendar.hpp"

namespace iskabm {

class CsvTable {
 public:
  // Reads `path` and checks that its header holds exactly `columns` (in any order): a missing,
  // extra or repeated column is a DataError on line 1. `label` names the file in messages
  // (default: the path as given). Unreadable files throw IoError.
  static CsvTable read(const std::filesystem::path& path, std::initializer_list<std::string_view> columns,
                       std::string label = {});
  // Same, from text already in memory (tests, embedded data).
  static CsvTable parse(std::string_view text, std::initializer_list<std::string_view> columns, std::string label);

  [[nodiscard]] std::size_t rows() const noexcept { return line_of_row_.size(); }
  [[nodiscard]] const std::string& label() const noexcept { return label_; }
  // Index of a column the header was checked to contain.
  [[nodiscard]] std::size_t column(std::string_view name) const;
  [[nodiscard]] const std::string& column_name(std::size_t col) const { return header_[col]; }
  // 1-based line in the file where record `row` (0-based, header excluded) starts.
  [[nodiscard]] std::size_t line(std::size_t row) const noexcept { return line_of_row_[row]; }

  [[nodiscard]] std::string_view text(std::size_t row, std::size_t col) const;
  // Non-empty text.
  [[nodiscard]] std::string_view required_text(std::size_t row, std::size_t col) const;
  // Finite decimal number; empty means nullopt in the optional_ variants.
  [[nodiscard]] double number(std::size_t row, std::size_t col) const;
  [[nodiscard]] std::optional<double> optional_number(std::size_t row, std::size_t col) const;
  // Integer; "12" and also "12.0" (files written by pandas) are accepted, "12.5" is not.
  [[nodiscard]] std::int64_t integer(std::size_t row, std::size_t col) const;
  [[nodiscard]] std::optional<std::int64_t> optional_integer(std::size_t row, std::size_t col) const;
  // Strict YYYY-MM-DD.
  [[nodiscard]] CivilDate date(std::size_t row, std::size_t col) const;

  // Throws DataError naming this file, the record's line and the column.
  [[noreturn]] void fail(std::size_t row, std::size_t col, const std::string& message) const;
  // Throws DataError naming this file and line with no column (a problem of the record as a whole).
  [[noreturn]] void fail_row(std::size_t row, const std::string& message) const;

 private:
  std::string label_;
  std::vector<std::string> header_;
  std::vector<std::string> cells_;  // row-major, header_.size() per row
  std::vector<std::size_t> line_of_row_;
};

}  // namespace iskabm
