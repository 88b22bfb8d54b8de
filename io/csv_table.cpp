#include "io/csv_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

#include "base/errors.hpp"
#include "base/text_file.hpp"

namespace iskabm {

namespace {

struct RawRecord {
  std::vector<std::string> fields;
  std::size_t line = 0;
};

// Splits RFC 4180 text into records. Quoted fields may hold commas, doubled quotes and newlines;
// CRLF and LF line ends are both accepted; a UTF-8 byte-order mark is skipped.
std::vector<RawRecord> split_records(std::string_view text, const std::string& label) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<RawRecord> records;
  std::size_t line = 1;
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    RawRecord rec;
    rec.line = line;
    std::string field;
    bool at_field_start = true;
    bool in_quotes = false;
    bool quoted_field = false;
    for (;;) {
      if (i >= n) {
        if (in_quotes) throw DataError(label, rec.line, "", "unterminated quoted field (opened on this line)");
        rec.fields.push_back(std::move(field));
        break;
      }
      const char c = text[i];
      if (in_quotes) {
        if (c == '"') {
          if (i + 1 < n && text[i + 1] == '"') {
            field.push_back('"');
            i += 2;
          } else {
            in_quotes = false;
            ++i;
          }
        } else {
          if (c == '\n') ++line;
          field.push_back(c);
          ++i;
        }
        continue;
      }
      if (c == '"' && at_field_start) {
        in_quotes = quoted_field = true;
        at_field_start = false;
        ++i;
        continue;
      }
      if (c == ',') {
        rec.fields.push_back(std::move(field));
        field.clear();
        at_field_start = true;
        quoted_field = false;
        ++i;
        continue;
      }
      if (c == '\r' && i + 1 < n && text[i + 1] == '\n') ++i;
      if (c == '\n' || (c == '\r' && i < n && text[i] == '\n')) {
        rec.fields.push_back(std::move(field));
        ++i;
        ++line;
        break;
      }
      if (quoted_field)
        throw DataError(label, line, "", fmt::format("unexpected character '{}' after a closing quote", c));
      field.push_back(c);
      at_field_start = false;
      ++i;
    }
    // A blank line (one empty field) is skipped; it carries no record.
    if (rec.fields.size() == 1 && rec.fields[0].empty()) continue;
    records.push_back(std::move(rec));
  }
  return records;
}

}  // namespace

CsvTable CsvTable::read(const std::filesystem::path& path, std::initializer_list<std::string_view> columns,
                        std::string label) {
  if (label.empty()) label = path.string();
  auto text = read_text_file(path, label);
  return parse(text, columns, std::move(label));
}

CsvTable CsvTable::parse(std::string_view text, std::initializer_list<std::string_view> columns, std::string label) {
  CsvTable t;
  t.label_ = std::move(label);
  auto records = split_records(text, t.label_);
  if (records.empty()) throw DataError(t.label_, 0, "", "empty file: no header line");
  t.header_ = std::move(records.front().fields);

  for (std::size_t i = 0; i < t.header_.size(); ++i) {
    const auto& name = t.header_[i];
    if (std::find(t.header_.begin(), t.header_.begin() + static_cast<std::ptrdiff_t>(i), name) !=
        t.header_.begin() + static_cast<std::ptrdiff_t>(i))
      throw DataError(t.label_, 1, name, "column appears more than once in the header");
    if (std::find(columns.begin(), columns.end(), name) == columns.end())
      throw DataError(t.label_, 1, name, "unexpected column in the header");
  }
  for (auto want : columns)
    if (std::find(t.header_.begin(), t.header_.end(), want) == t.header_.end())
      throw DataError(t.label_, 1, std::string(want), "missing column in the header");

  const std::size_t width = t.header_.size();
  t.cells_.reserve(width * (records.size() - 1));
  for (std::size_t r = 1; r < records.size(); ++r) {
    auto& rec = records[r];
    if (rec.fields.size() != width)
      throw DataError(t.label_, rec.line, "",
                      fmt::format("record has {} fields but the header has {}", rec.fields.size(), width));
    for (auto& f : rec.fields) t.cells_.push_back(std::move(f));
    t.line_of_row_.push_back(rec.line);
  }
  return t;
}

std::size_t CsvTable::column(std::string_view name) const {
  auto it = std::find(header_.begin(), header_.end(), name);
  if (it == header_.end()) throw DataError(label_, 1, std::string(name), "missing column in the header");
  return static_cast<std::size_t>(it - header_.begin());
}

std::string_view CsvTable::text(std::size_t row, std::size_t col) const { return cells_[row * header_.size() + col]; }

std::string_view CsvTable::required_text(std::size_t row, std::size_t col) const {
  auto s = text(row, col);
  if (s.empty()) fail(row, col, "empty value");
  return s;
}

std::optional<double> CsvTable::optional_number(std::size_t row, std::size_t col) const {
  auto s = text(row, col);
  if (s.empty()) return std::nullopt;
  double v = 0.0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || ptr != s.data() + s.size() || !std::isfinite(v))
    fail(row, col, fmt::format("cannot parse '{}' as a number", s));
  return v;
}

double CsvTable::number(std::size_t row, std::size_t col) const {
  auto v = optional_number(row, col);
  if (!v) fail(row, col, "empty value, a number is required");
  return *v;
}

std::optional<std::int64_t> CsvTable::optional_integer(std::size_t row, std::size_t col) const {
  auto s = text(row, col);
  if (s.empty()) return std::nullopt;
  std::int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec == std::errc{} && ptr == s.data() + s.size()) return v;
  // Accept "12.0": integers written through a floating-point column.
  const auto dot = s.find('.');
  if (ec == std::errc{} && dot != std::string_view::npos && ptr == s.data() + dot &&
      s.find_first_not_of('0', dot + 1) == std::string_view::npos && dot + 1 < s.size())
    return v;
  fail(row, col, fmt::format("cannot parse '{}' as an integer", s));
}

std::int64_t CsvTable::integer(std::size_t row, std::size_t col) const {
  auto v = optional_integer(row, col);
  if (!v) fail(row, col, "empty value, an integer is required");
  return *v;
}

CivilDate CsvTable::date(std::size_t row, std::size_t col) const {
  auto s = text(row, col);
  auto d = parse_iso_date(s);
  if (!d) fail(row, col, fmt::format("cannot parse '{}' as a date (expected YYYY-MM-DD)", s));
  return *d;
}

void CsvTable::fail(std::size_t row, std::size_t col, const std::string& message) const {
  throw DataError(label_, line(row), header_[col], message);
}

void CsvTable::fail_row(std::size_t row, const std::string& message) const {
  throw DataError(label_, line(row), "", message);
}

}  // namespace iskabm
