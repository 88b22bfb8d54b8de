#include "calibration/observed_series.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "base/errors.hpp"
#include "base/text_file.hpp"
#include "io/csv_table.hpp"

namespace iskabm {

std::optional<YearMonth> parse_year_month(std::string_view text) noexcept {
  if (text.size() != 7 || text[4] != '-') return std::nullopt;
  int year = 0, month = 0;
  const auto digits = [](std::string_view s, int& out) {
    if (!std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
    return std::from_chars(s.data(), s.data() + s.size(), out).ec == std::errc{};
  };
  if (!digits(text.substr(0, 4), year) || !digits(text.substr(5, 2), month)) return std::nullopt;
  if (month < 1 || month > 12) return std::nullopt;
  return YearMonth{year, month};
}

std::string to_string(YearMonth m) { return fmt::format("{:04d}-{:02d}", m.year, m.month); }

std::string_view to_string(SeriesFormat f) noexcept {
  return f == SeriesFormat::country_month ? "country-month" : "district-month";
}

std::vector<std::string_view> ObservedSeries::count_columns(SeriesFormat f) {
  if (f == SeriesFormat::country_month) return {"events_all", "events_named_or_claimed", "fatalities_all"};
  return {"events", "fatalities", "events_named_or_claimed"};
}
std::string_view ObservedSeries::default_column(SeriesFormat f) {
  return f == SeriesFormat::country_month ? "events_all" : "events";
}

namespace {

// The header's field names, split naively (the layouts' headers hold no quotes).
std::vector<std::string> header_fields(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  auto line = text.substr(0, text.find('\n'));
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  std::vector<std::string> out;
  for (std::size_t start = 0;;) {
    const auto comma = line.find(',', start);
    out.emplace_back(line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

}  // namespace

ObservedSeries load_observed_series(const std::filesystem::path& path, std::string_view column) {
  ObservedSeries s;
  s.source = path.string();
  const auto text = read_text_file(path, s.source);
  const auto header = header_fields(text);
  const bool district = std::find(header.begin(), header.end(), "district_id") != header.end();
  s.format = district ? SeriesFormat::district_month : SeriesFormat::country_month;
  const auto table =
      district ? CsvTable::parse(text,
                                 {"country", "admin1", "district_id", "district_name", "year", "month", "events",
                                  "fatalities", "events_named_or_claimed"},
                                 s.source)
               : CsvTable::parse(
                     text, {"country", "year", "month", "events_all", "events_named_or_claimed", "fatalities_all"},
                     s.source);
  const auto offered = ObservedSeries::count_columns(s.format);
  s.column = column.empty() ? std::string(ObservedSeries::default_column(s.format)) : std::string(column);
  if (std::find(offered.begin(), offered.end(), s.column) == offered.end())
    throw UsageError(fmt::format("--column {}: {} is a {} series, whose count columns are {}", s.column, s.source,
                                 to_string(s.format), fmt::join(offered, ", ")));
  if (table.rows() == 0) throw DataError(s.source, 0, "", "no data rows");

  const auto c_country = table.column("country"), c_year = table.column("year"), c_month = table.column("month"),
             c_value = table.column(s.column);
  const auto c_district = district ? table.column("district_id") : 0;
  std::map<std::pair<std::string, int>, std::size_t> seen;  // (unit, month index) -> line
  std::map<std::string, Country> country_of_district;
  for (std::size_t r = 0; r < table.rows(); ++r) {
    ObservedSeries::Row row;
    row.line = table.line(r);
    const auto cname = table.required_text(r, c_country);
    const auto country = parse_country(cname);
    if (!country)
      table.fail(r, c_country, fmt::format("unknown country '{}' (expected Afghanistan or Pakistan)", cname));
    row.country = *country;
    const auto year = table.integer(r, c_year);
    if (year < 1900 || year > 2200) table.fail(r, c_year, fmt::format("year {} out of range", year));
    const auto month = table.integer(r, c_month);
    if (month < 1 || month > 12) table.fail(r, c_month, fmt::format("month {} is not 1..12", month));
    row.month = {static_cast<int>(year), static_cast<int>(month)};
    row.value = table.integer(r, c_value);
    if (row.value < 0) table.fail(r, c_value, fmt::format("negative count {}", row.value));
    if (district) {
      row.unit = std::string(table.required_text(r, c_district));
      const auto [it, fresh] = country_of_district.emplace(row.unit, row.country);
      if (!fresh && it->second != row.country)
        table.fail(r, c_country,
                   fmt::format("district {} is in {} on an earlier line", row.unit, country_name(it->second)));
    } else {
      row.unit = std::string(country_name(row.country));
    }
    const auto [it, fresh] = seen.emplace(std::pair{row.unit, row.month.index()}, row.line);
    if (!fresh)
      table.fail_row(r, fmt::format("a second row for {} {} (the first is on line {})", row.unit, to_string(row.month),
                                    it->second));
    s.rows.push_back(std::move(row));
  }

  const auto [lo, hi] =
      std::minmax_element(s.rows.begin(), s.rows.end(), [](const auto& a, const auto& b) { return a.month < b.month; });
  s.first = lo->month;
  s.last = hi->month;
  if (district) {
    s.first = {s.first.year, 1};
    s.last = {s.last.year, 12};
  } else {
    for (std::size_t c = 0; c < country_count; ++c) {
      const std::string unit(country_name(static_cast<Country>(c)));
      for (int m = s.first.index(); m <= s.last.index(); ++m)
        if (!seen.contains({unit, m}))
          throw DataError(
              s.source, 0, "",
              fmt::format("no row for {} {}: a country-month series must hold every month of both "
                          "countries from {} to {} (zeros included)",
                          unit, to_string(YearMonth::from_index(m)), to_string(s.first), to_string(s.last)));
    }
  }
  return s;
}

}  // namespace iskabm
