// Seasonality (model/rules/season.cpp, ODD §7.6): the attack hazard multiplier of day t is
//   S_t = max(0.05, 1 + (F - 1) a_y) in April-October, max(0.05, 1 + (W - 1) a_y) in December-
//   February, 1 in March and November, times R during Ramadan,
// with a_y the replicate's amplitude for the year, drawn at initialisation (log-normal, mean 1).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include "model/rules/rules.hpp"
#include "model/season.hpp"
#include "model/simulation.hpp"
#include "support/model_fixture.hpp"
#include "support/scripted_draws.hpp"

using namespace iskabm;

namespace {

// The documented factor of a date, computed from the civil date and the tabular Ramadan.
double documented_factor(const Parameters& p, DayNumber day, double a) {
  const int month = to_civil(day).month;
  double f = 1.0;
  if (month >= 4 && month <= 10) f = 1.0 + (p.season_fighting_season_factor - 1.0) * a;
  if (month == 12 || month <= 2) f = 1.0 + (p.season_winter_lull_factor - 1.0) * a;
  f = std::max(f, 0.05);
  return is_ramadan(day) ? f * p.season_ramadan_factor : f;
}

World season_world() {  // 2015-2016
  auto c = test::config_from_file(test::small_config);
  c.parameters.season_fighting_season_factor = 1.5;
  c.parameters.season_winter_lull_factor = 0.6;
  c.parameters.season_ramadan_factor = 1.3;
  return test::world_from(std::move(c));
}

DayNumber first_ramadan_day(int civil_year) {
  for (DayNumber n = to_day_number({civil_year, 1, 1});; ++n)
    if (is_ramadan(n)) return n;
}

}  // namespace

TEST_CASE("season: the factor of day t is that of day t, across month changes, years and Ramadan", "[rules][season]") {
  const auto w = season_world();
  const auto& p = w.config.parameters;
  State s;
  s.year_amplitude = {1.4, 0.7};  // 2015, 2016
  const auto at = [&](CivilDate date) {
    return rules::season_factor(w, s, static_cast<std::size_t>(to_day_number(date) - w.config.start));
  };
  const auto documented = [&](CivilDate date) {
    return documented_factor(p, to_day_number(date), s.year_amplitude[static_cast<std::size_t>(date.year - 2015)]);
  };

  // Every day of the window.
  for (std::size_t t = 0; t < w.days(); ++t) {
    const auto day = w.day_number(t);
    INFO(to_iso_string(to_civil(day)));
    REQUIRE(rules::season_factor(w, s, t) ==
            Approx(documented_factor(p, day, s.year_amplitude[static_cast<std::size_t>(to_civil(day).year - 2015)])));
  }

  // The boundaries by name: the day before and the day itself differ, and each has its own factor.
  const CivilDate boundaries[] = {{2015, 3, 1}, {2015, 4, 1}, {2015, 11, 1}, {2015, 12, 1}, {2016, 1, 1},
                                  {2016, 3, 1}, {2016, 4, 1}, {2016, 11, 1}, {2016, 12, 1}};
  for (const auto& date : boundaries) {
    const auto before = to_civil(to_day_number(date) - 1);
    INFO(to_iso_string(date));
    CHECK(at(date) == Approx(documented(date)));
    CHECK(at(before) == Approx(documented(before)));
    CHECK(at(date) != Approx(at(before)));
  }
  CHECK(at({2015, 4, 1}) == Approx(1.0 + 0.5 * 1.4));
  CHECK(at({2015, 3, 31}) == 1.0);
  CHECK(at({2015, 12, 31}) == Approx(1.0 - 0.4 * 1.4));  // winter of 2015's amplitude ...
  CHECK(at({2016, 1, 1}) == Approx(1.0 - 0.4 * 0.7));    // ... and of 2016's, the next day
  for (int year : {2015, 2016}) {
    const auto first = first_ramadan_day(year);
    const auto last = first + 29;
    const double base = year == 2015 ? 1.0 + 0.5 * 1.4 : 1.0 + 0.5 * 0.7;  // Ramadan falls in the fighting season
    INFO("Ramadan " << year << " starts " << to_iso_string(to_civil(first)));
    CHECK(at(to_civil(first - 1)) == Approx(base));
    CHECK(at(to_civil(first)) == Approx(base * 1.3));
    CHECK(at(to_civil(last)) == Approx(base * 1.3));
    CHECK(at(to_civil(last + 1)) == Approx(base));
  }
}

TEST_CASE("season: the year's amplitude scales the seasonal deviation from 1", "[rules][season]") {
  const auto w = season_world();
  State s;
  const auto july = static_cast<std::size_t>(to_day_number({2015, 8, 15}) - w.config.start);  // fighting, not Ramadan
  const auto january = static_cast<std::size_t>(to_day_number({2015, 1, 15}) - w.config.start);
  const auto march = static_cast<std::size_t>(to_day_number({2015, 3, 15}) - w.config.start);
  for (double a : {0.0, 0.5, 1.0, 2.0, 3.0}) {
    INFO("a = " << a);
    s.year_amplitude = {a, 1.0};
    CHECK(rules::season_factor(w, s, july) == Approx(1.0 + 0.5 * a));
    CHECK(rules::season_factor(w, s, january) == Approx(std::max(0.05, 1.0 - 0.4 * a)));
    CHECK(rules::season_factor(w, s, march) == 1.0);
  }
  s.year_amplitude = {3.0, 1.0};  // 1 - 0.4 x 3 < 0: the floor
  CHECK(rules::season_factor(w, s, january) == 0.05);
  // Another amplitude, another factor: twice the amplitude, twice the deviation.
  s.year_amplitude = {1.0, 1.0};
  const double one = rules::season_factor(w, s, july) - 1.0;
  s.year_amplitude = {2.0, 1.0};
  CHECK(rules::season_factor(w, s, july) - 1.0 == Approx(2.0 * one));
}

namespace {
class SeasonWatcher : public ScheduleObserver {
 public:
  explicit SeasonWatcher(const World& w) : w_(w) {}
  void after(Stage stage, const rules::Day& day, const State& s, const Recorder&) override {
    if (stage != Stage::indexed) return;
    const auto year = static_cast<std::size_t>(to_civil(day.number).year - w_.calendar.first_year);
    const double expected = documented_factor(w_.config.parameters, day.number, s.year_amplitude[year]);
    if (day.number != w_.day_number(day.index) || std::abs(day.season - expected) > 1e-12 * expected) ++wrong;
    ++days;
  }
  const World& w_;
  std::size_t days = 0, wrong = 0;
};
}  // namespace

TEST_CASE("season: the schedule hands each day its own factor", "[rules][season]") {
  const auto w = season_world();
  SeasonWatcher watcher(w);
  State s;
  Recorder r;
  run_replicate(w, 42, 0, s, r, &watcher);
  CHECK(watcher.days == w.days());
  CHECK(watcher.wrong == 0);
}

TEST_CASE("season: each replicate draws its years' amplitudes, log-normal with mean 1", "[rules][season]") {
  auto w = season_world();
  const double sd = w.config.parameters.season_year_amplitude_sd;
  REQUIRE(sd == 0.2);
  std::vector<double> a;
  std::size_t years_equal = 0;
  for (std::uint64_t rep = 0; rep < 2000; ++rep) {
    State s;
    rules::initialise(w, 11, rep, s);
    REQUIRE(s.year_amplitude.size() == 2);
    years_equal += s.year_amplitude[0] == s.year_amplitude[1];
    a.insert(a.end(), s.year_amplitude.begin(), s.year_amplitude.end());
  }
  const auto n = static_cast<double>(a.size());
  double mean = 0, log_mean = 0;
  for (double x : a) mean += x / n, log_mean += std::log(x) / n;
  double var = 0, log_var = 0;
  for (double x : a)
    var += (x - mean) * (x - mean) / (n - 1), log_var += (std::log(x) - log_mean) * (std::log(x) - log_mean) / (n - 1);
  CHECK(std::abs(mean - 1.0) < 4.0 * std::sqrt(var / n));               // mean 1
  CHECK(std::abs(log_mean + 0.5 * sd * sd) < 4.0 * sd / std::sqrt(n));  // ln a ~ N(-sd^2/2, sd^2)
  CHECK(std::abs(std::sqrt(log_var) - sd) < 4.0 * sd / std::sqrt(2.0 * n));
  CHECK(years_equal == 0);  // each year its own draw

  // The draws are those of the season streams, one per year: one script for both years gives
  // both the same amplitude.
  test::ScriptedDraws script;
  script.raw(Purpose::season, test::ScriptedDraws::any, {0x0123456789abcdefULL, 0xfedcba9876543210ULL, 42, 7});
  State scripted;
  rules::initialise(w, 11, 0, scripted, &script);
  CHECK(script.scripted_blocks() >= 2);
  CHECK(scripted.year_amplitude[0] == scripted.year_amplitude[1]);

  w.config.parameters.season_year_amplitude_sd = 0.0;
  State flat;
  rules::initialise(w, 11, 0, flat);
  CHECK(flat.year_amplitude == std::vector<double>{1.0, 1.0});
}
