#pragma once
// An observed monthly count series to score forecasts against, read from a CSV file in one of the
// two layouts of data/aggregates (told apart by the header):
//   country-month   country,year,month,events_all,events_named_or_claimed,fatalities_all
//                   one row per country and month, zeros included: the grid must be complete
//                   for both countries from its first to its last month;
//   district-month  country,admin1,district_id,district_name,year,month,events,fatalities,
//                   events_named_or_claimed
//                   sparse: only district-months with something to count; a missing row is a
//                   zero, and the series is taken to cover whole calendar years, January of its
//                   first year to December of its last.
// One count column is read (default events_all / events). Every problem with the file is a
// DataError naming file, line and column; a --column that the layout does not have is a
// UsageError listing the ones it has.
#include <compare>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/geography.hpp"

namespace iskabm {

// A calendar month. Ordered; index() counts months since January of year 0.
struct YearMonth {
  int year = 1970;
  int month = 1;  // 1..12

  [[nodiscard]] constexpr int index() const noexcept { return year * 12 + (month - 1); }
  [[nodiscard]] static constexpr YearMonth from_index(int i) noexcept { return {i / 12, i % 12 + 1}; }
  [[nodiscard]] constexpr YearMonth plus(int months) const noexcept { return from_index(index() + months); }
  friend constexpr bool operator==(const YearMonth&, const YearMonth&) = default;
  friend constexpr auto operator<=>(const YearMonth& a, const YearMonth& b) noexcept { return a.index() <=> b.index(); }
};
// Months from a to b inclusive (0 when b is before a).
[[nodiscard]] constexpr int months_between(YearMonth a, YearMonth b) noexcept {
  return b < a ? 0 : b.index() - a.index() + 1;
}
// Strict "YYYY-MM"; nullopt for anything else.
[[nodiscard]] std::optional<YearMonth> parse_year_month(std::string_view text) noexcept;
[[nodiscard]] std::string to_string(YearMonth m);

enum class SeriesFormat : std::uint8_t { country_month, district_month };
[[nodiscard]] std::string_view to_string(SeriesFormat f) noexcept;

struct ObservedSeries {
  struct Row {
    std::string unit;  // country name (country-month) or district id (district-month)
    Country country;
    YearMonth month;
    std::int64_t value;
    std::size_t line;  // in the file, for messages
  };

  std::string source;  // the file, as named in messages
  SeriesFormat format = SeriesFormat::country_month;
  std::string column;     // the count column read
  YearMonth first, last;  // months the series covers
  std::vector<Row> rows;  // file order; country-month: the complete grid

  // The count columns each layout offers, and the default one.
  [[nodiscard]] static std::vector<std::string_view> count_columns(SeriesFormat f);
  [[nodiscard]] static std::string_view default_column(SeriesFormat f);
};

// Reads `path` (see above). `column` empty: the layout's default count column.
[[nodiscard]] ObservedSeries load_observed_series(const std::filesystem::path& path, std::string_view column = {});

}  // namespace iskabm
