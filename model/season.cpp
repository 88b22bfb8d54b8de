#include "model/season.hpp"

namespace iskabm {

namespace {
// Julian day number (noon-based) of 1 Muharram 1 AH, civil epoch, and of 1970-01-01.
constexpr int hijri_epoch_jdn = 1948440;
constexpr int unix_epoch_jdn = 2440588;

int floor_div(int a, int b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

int days_before_month(int month) { return (59 * (month - 1) + 1) / 2; }  // = ceil(29.5 (m - 1))
int days_before_year(int year) { return (year - 1) * 354 + floor_div(3 + 11 * year, 30); }
}  // namespace

DayNumber from_hijri(const HijriDate& h) noexcept {
  return h.day + days_before_month(h.month) + days_before_year(h.year) + hijri_epoch_jdn - 1 - unix_epoch_jdn;
}

HijriDate to_hijri(DayNumber n) noexcept {
  const int jdn = n + unix_epoch_jdn;
  // Estimate the year, then correct it.
  int year = floor_div(30 * (jdn - hijri_epoch_jdn) + 10646, 10631);
  while (from_hijri(HijriDate{year + 1, 1, 1}) <= n) ++year;
  while (from_hijri(HijriDate{year, 1, 1}) > n) --year;
  int month = 12;
  while (month > 1 && from_hijri(HijriDate{year, month, 1}) > n) --month;
  return HijriDate{year, month, n - from_hijri(HijriDate{year, month, 1}) + 1};
}

DayRange ramadan_of_hijri_year(int hijri_year) noexcept {
  return {from_hijri(HijriDate{hijri_year, 9, 1}), from_hijri(HijriDate{hijri_year, 10, 1}) - 1};
}

bool is_ramadan(DayNumber n) noexcept { return to_hijri(n).month == 9; }

SeasonPhase season_phase(int month) noexcept {
  if (month == 12 || month <= 2) return SeasonPhase::winter_lull;
  if (month >= 4 && month <= 10) return SeasonPhase::fighting_season;
  return SeasonPhase::spring;
}

SeasonCalendar make_season_calendar(DayNumber first, DayNumber last) {
  SeasonCalendar c;
  c.first_day = first;
  const auto first_civil = to_civil(first);
  c.first_year = first_civil.year;
  const auto n = static_cast<std::size_t>(last - first + 1);
  c.month.resize(n);
  c.year_index.resize(n);
  c.month_index.resize(n);
  c.ramadan.resize(n);
  c.phase.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto day = first + static_cast<DayNumber>(i);
    const auto d = to_civil(day);
    c.month[i] = static_cast<std::uint8_t>(d.month);
    c.year_index[i] = static_cast<std::uint16_t>(d.year - c.first_year);
    c.month_index[i] = static_cast<std::uint16_t>((d.year - first_civil.year) * 12 + d.month - first_civil.month);
    c.ramadan[i] = is_ramadan(day) ? 1 : 0;
    c.phase[i] = season_phase(d.month);
  }
  c.years = n ? c.year_index.back() + 1 : 0;
  c.months = n ? c.month_index.back() + 1 : 0;
  return c;
}

}  // namespace iskabm
