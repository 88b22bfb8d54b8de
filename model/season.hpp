#pragma once
// Seasons of violence: the month of year (fighting season, winter lull) and Ramadan, which is
// computed from the tabular (arithmetic) Islamic calendar. The tabular calendar agrees with
// observed Ramadan starts to within a day or two (moon sighting differs by country); tests check
// it against published dates for 2010-2035.
#include <cstdint>
#include <vector>

#include "model/calendar.hpp"

namespace iskabm {

struct HijriDate {
  int year = 1;
  int month = 1;  // 1..12 (9 = Ramadan)
  int day = 1;    // 1..30
};

// Tabular Islamic calendar, civil ("Friday") epoch 1 Muharram 1 AH = 16 July 622 (Julian),
// leap years 2, 5, 7, 10, 13, 16, 18, 21, 24, 26, 29 of each 30-year cycle.
[[nodiscard]] DayNumber from_hijri(const HijriDate& h) noexcept;
[[nodiscard]] HijriDate to_hijri(DayNumber n) noexcept;

struct DayRange {
  DayNumber first, last;  // inclusive
};
[[nodiscard]] DayRange ramadan_of_hijri_year(int hijri_year) noexcept;
[[nodiscard]] bool is_ramadan(DayNumber n) noexcept;

enum class SeasonPhase : std::uint8_t { winter_lull, spring, fighting_season };
// December-February: winter lull; April-October: fighting season; March and November: neither.
[[nodiscard]] SeasonPhase season_phase(int month) noexcept;

// Per-day calendar facts for a simulation window, computed once.
struct SeasonCalendar {
  DayNumber first_day = 0;
  int first_year = 0;
  std::vector<std::uint8_t> month;         // 1..12
  std::vector<std::uint16_t> year_index;   // year - first_year
  std::vector<std::uint16_t> month_index;  // months since the window's first month
  std::vector<std::uint8_t> ramadan;       // 1 during Ramadan
  std::vector<SeasonPhase> phase;
  int years = 0, months = 0;

  [[nodiscard]] std::size_t days() const noexcept { return month.size(); }
};
[[nodiscard]] SeasonCalendar make_season_calendar(DayNumber first, DayNumber last);

}  // namespace iskabm
