#include "model/calendar.hpp"

#include <fmt/format.h>

#include <charconv>

namespace iskabm {

bool is_leap_year(int year) noexcept { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) noexcept {
  constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  return month == 2 && is_leap_year(year) ? 29 : days[month - 1];
}

bool is_valid(const CivilDate& d) noexcept {
  return d.month >= 1 && d.month <= 12 && d.day >= 1 && d.day <= days_in_month(d.year, d.month);
}

DayNumber to_day_number(const CivilDate& d) noexcept {
  const int y = d.year - (d.month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int mp = (d.month + 9) % 12;
  const int doy = (153 * mp + 2) / 5 + d.day - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDate to_civil(DayNumber n) noexcept {
  const int z = n + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int day = doy - (153 * mp + 2) / 5 + 1;
  const int month = mp < 10 ? mp + 3 : mp - 9;
  return CivilDate{yoe + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

namespace {
bool parse_fixed_int(std::string_view s, int& out) noexcept {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && ptr == s.data() + s.size();
}
}  // namespace

std::optional<CivilDate> parse_iso_date(std::string_view text) noexcept {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  CivilDate d;
  if (!parse_fixed_int(text.substr(0, 4), d.year) || !parse_fixed_int(text.substr(5, 2), d.month) ||
      !parse_fixed_int(text.substr(8, 2), d.day))
    return std::nullopt;
  if (!is_valid(d)) return std::nullopt;
  return d;
}

std::string to_iso_string(const CivilDate& d) { return fmt::format("{:04d}-{:02d}-{:02d}", d.year, d.month, d.day); }

}  // namespace iskabm
