#pragma once
// Dates in the proleptic Gregorian calendar, as day numbers (days since 1970-01-01), so that the
// simulation can count days with plain integers. Ramadan and the seasons build on this.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace iskabm {

struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31

  friend constexpr bool operator==(const CivilDate&, const CivilDate&) = default;
};

using DayNumber = std::int32_t;  // days since 1970-01-01

[[nodiscard]] bool is_leap_year(int year) noexcept;
[[nodiscard]] int days_in_month(int year, int month) noexcept;
[[nodiscard]] bool is_valid(const CivilDate& d) noexcept;

// Howard Hinnant's days_from_civil / civil_from_days (public domain algorithms).
[[nodiscard]] DayNumber to_day_number(const CivilDate& d) noexcept;
[[nodiscard]] CivilDate to_civil(DayNumber n) noexcept;

// Strict ISO 8601 "YYYY-MM-DD"; nullopt for anything else, including impossible dates.
[[nodiscard]] std::optional<CivilDate> parse_iso_date(std::string_view text) noexcept;
[[nodiscard]] std::string to_iso_string(const CivilDate& d);

}  // namespace iskabm
