#include "base/csv_writer.hpp"

#include "base/errors.hpp"

namespace iskabm {

std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

CsvWriter::CsvWriter(std::vector<std::string> header) : columns_(header.size()) {
  if (header.empty()) throw Error("a CSV table needs at least one column");
  row(header);
  rows_ = 0;  // the header is not a data row
}

void CsvWriter::begin_row(std::size_t fields) {
  if (fields != columns_)
    throw Error(fmt::format("CSV row {} has {} fields, the header {}", rows_ + 1, fields, columns_));
  ++rows_;
}

CsvWriter& CsvWriter::row(const std::vector<std::string>& fields) {
  begin_row(fields.size());
  for (std::size_t k = 0; k < fields.size(); ++k) append(k, fields[k]);
  text_ += '\n';
  return *this;
}

}  // namespace iskabm
