// The score table on a small synthetic forecast: windows, units and the model rows by hand.
#include <catch2/catch.hpp>

#include "base/errors.hpp"
#include "calibration/forecast_score.hpp"

using namespace iskabm;

namespace {

// Three districts (two Afghan, one Pakistani), months 2015-01..2018-12; every replicate forecasts
// `afg` attacks a month in AFG-001 and `pak` in PAK15-001, loaded from `from` on.
ForecastEnsemble synthetic(std::size_t replicates, int afg, int pak, YearMonth from) {
  ForecastEnsemble e;
  e.source = "synthetic.h5";
  e.variable = "attacks_observed";
  e.replicates = replicates;
  for (int m = YearMonth{2015, 1}.index(); m <= YearMonth{2018, 12}.index(); ++m) {
    const auto ym = YearMonth::from_index(m);
    e.file_months.push_back({ym.year, ym.month, 1});
  }
  e.district_id = {"AFG-001", "AFG-002", "PAK15-001"};
  e.district_country = {Country::afghanistan, Country::afghanistan, Country::pakistan};
  e.first_month = static_cast<std::size_t>(from.index() - YearMonth{2015, 1}.index());
  e.months = e.file_months.size() - e.first_month;
  for (std::size_t r = 0; r < replicates; ++r)
    for (std::size_t m = 0; m < e.months; ++m) {
      e.values.push_back(afg);
      e.values.push_back(0);
      e.values.push_back(pak);
    }
  return e;
}

// A country-month series 2015-01..2018-12: Afghanistan 3 a month, Pakistan 1 a month.
ObservedSeries country_series() {
  ObservedSeries s;
  s.source = "series.csv";
  s.column = "events_all";
  s.first = {2015, 1};
  s.last = {2018, 12};
  std::size_t line = 2;
  for (const auto c : {Country::afghanistan, Country::pakistan})
    for (int m = s.first.index(); m <= s.last.index(); ++m)
      s.rows.push_back(
          {std::string(country_name(c)), c, YearMonth::from_index(m), c == Country::afghanistan ? 3 : 1, line++});
  return s;
}

// 20 replicates: 0-9 forecast `near` attacks a month in AFG-001, 10-19 `far`; `pak` in PAK15-001.
ForecastEnsemble two_halves(int near, int far, int pak, YearMonth from) {
  auto f = synthetic(20, near, pak, from);
  const std::size_t per_replicate = f.months * f.districts();
  for (std::size_t r = 10; r < 20; ++r)
    for (std::size_t m = 0; m < f.months; ++m) f.values[r * per_replicate + m * f.districts()] = far;
  return f;
}

// A district-month series 2015-01..2018-12: AFG-001 2 a month (line 2), no other district.
ObservedSeries district_series() {
  ObservedSeries s;
  s.source = "districts.csv";
  s.format = SeriesFormat::district_month;
  s.column = "events";
  s.first = {2015, 1};
  s.last = {2018, 12};
  for (int m = s.first.index(); m <= s.last.index(); ++m)
    s.rows.push_back({"AFG-001", Country::afghanistan, YearMonth::from_index(m), 2, 2});
  return s;
}

const ScoreRow& row(const ScoreTable& t, const std::string& forecaster, const std::string& scope) {
  for (const auto& r : t.rows)
    if (r.forecaster == forecaster && r.scope == scope) return r;
  FAIL("no row " << forecaster << " " << scope);
  throw;
}

}  // namespace

TEST_CASE("forecast score: a point-mass model scores its absolute error, baselines of a flat series score well",
          "[calibration][score]") {
  ScoreOptions o;
  o.train_end = {2018, 6};
  o.hawkes_samples = 200;
  const auto t = score_forecast(synthetic(10, 5, 1, {2018, 7}), country_series(), o);
  CHECK(t.test_start == YearMonth{2018, 7});
  CHECK(t.test_end == YearMonth{2018, 12});
  CHECK(t.units == 2);
  REQUIRE(t.rows.size() == 12);
  const auto& afg = row(t, "model", "Afghanistan");
  CHECK(afg.cases == 6);
  CHECK(afg.crps == Approx(2.0));  // |5 - 3|
  CHECK(afg.coverage90 == 0);
  CHECK(afg.forecast_total == Approx(30));
  CHECK(afg.observed_total == Approx(18));
  const auto& pak = row(t, "model", "Pakistan");
  CHECK(pak.crps == Approx(0.0).margin(1e-12));
  CHECK(pak.coverage50 == 1);
  const auto& all = row(t, "model", "overall");
  CHECK(all.cases == 12);
  CHECK(all.crps == Approx(1.0));
  // A constant series: seasonal naive and NB regression forecast it nearly exactly.
  CHECK(row(t, "seasonal_naive", "Afghanistan").forecast_total == Approx(18));
  CHECK(row(t, "nb_regression", "Afghanistan").forecast_total == Approx(18).epsilon(0.02));
  CHECK(row(t, "nb_regression", "Afghanistan").crps < 1.0);
  CHECK(row(t, "hawkes", "Afghanistan").forecast_total == Approx(18).epsilon(0.25));
  CHECK(row(t, "hawkes", "overall").cases == 12);
}

TEST_CASE("forecast score: a district-month series scores every district, missing rows as zeros",
          "[calibration][score]") {
  auto s = district_series();
  ScoreOptions o;
  o.train_end = {2017, 12};
  o.test_end = YearMonth{2018, 3};
  o.hawkes_samples = 100;
  const auto t = score_forecast(synthetic(4, 2, 0, {2018, 1}), s, o);
  CHECK(t.units == 3);
  CHECK(row(t, "model", "Afghanistan").cases == 6);  // 2 districts x 3 months
  CHECK(row(t, "model", "Afghanistan").crps == Approx(0.0).margin(1e-12));
  CHECK(row(t, "model", "Pakistan").cases == 3);
  CHECK(row(t, "model", "overall").observed_total == Approx(6));
  // Baselines split by training shares: AFG-001 has (72 + 1/2) / (72 + 1) of Afghanistan's events.
  CHECK(row(t, "seasonal_naive", "Afghanistan").forecast_total == Approx(6));
  CHECK(row(t, "seasonal_naive", "Pakistan").forecast_total == Approx(3 * 0.5));  // zero-rate rule, all in one district

  SECTION("a district the forecast does not have") {
    s.rows.push_back({"AFG-999", Country::afghanistan, {2016, 1}, 1, 77});
    REQUIRE_THROWS_MATCHES(
        score_forecast(synthetic(4, 2, 0, {2018, 1}), s, o), DataError,
        Catch::Matchers::Message("districts.csv:77: district_id: district AFG-999 is not among the 3 "
                                 "districts of the forecast synthetic.h5"));
  }
}

TEST_CASE("forecast score: windows that do not fit are clear errors", "[calibration][score]") {
  ScoreOptions o;
  SECTION("a training window shorter than two years") {
    o.train_start = {2017, 1};
    o.train_end = {2018, 6};
    REQUIRE_THROWS_WITH(score_forecast(synthetic(2, 1, 1, {2018, 7}), country_series(), o),
                        Catch::Matchers::Contains("has 18 months; at least 24 are needed"));
  }
  SECTION("test months the forecast does not hold") {
    o.train_end = {2018, 6};
    auto f = synthetic(2, 1, 1, {2018, 7});
    f.file_months.resize(f.file_months.size() - 3);  // the forecast ends in 2018-09
    f.months -= 3;
    o.test_end = YearMonth{2018, 12};
    REQUIRE_THROWS_AS(score_forecast(f, country_series(), o), DataError);
    REQUIRE_THROWS_WITH(score_forecast(f, country_series(), o),
                        Catch::Matchers::Contains("synthetic.h5: time: the forecast holds the months 2015-01..2018-09, "
                                                  "not every test month 2018-07..2018-12"));
  }
  SECTION("a test window past the series") {
    o.train_end = {2018, 6};
    o.test_end = YearMonth{2019, 3};
    REQUIRE_THROWS_AS(score_forecast(synthetic(2, 1, 1, {2018, 7}), country_series(), o), UsageError);
  }
  SECTION("a training window before the series") {
    o.train_start = {2014, 1};
    o.train_end = {2017, 12};
    REQUIRE_THROWS_WITH(score_forecast(synthetic(2, 1, 1, {2018, 1}), country_series(), o),
                        Catch::Matchers::Contains("before the series series.csv (2015-01..2018-12)"));
  }
}

TEST_CASE("forecast score: the conditioned model keeps the replicates that match the last training months",
          "[calibration][score]") {
  // Half the replicates forecast the record (3 a month in Afghanistan, 1 in Pakistan), half 12 and 1.
  const auto f = two_halves(3, 12, 1, {2018, 1});
  ScoreOptions o;
  o.train_end = {2018, 6};
  o.hawkes_samples = 100;
  const auto t = score_forecast(f, country_series(), o);
  REQUIRE(t.rows.size() == 15);
  // The last six months: 18 against 72 in Afghanistan, a distance of (sqrt 72 - sqrt 18)^2 = 18:
  // the far half keeps a weight of e^-18 of the near half's.
  CHECK(t.conditioned_effective_size == Approx(10).epsilon(1e-6));
  CHECK(row(t, "model_conditioned", "Afghanistan").crps == Approx(0.0).margin(1e-12));
  CHECK(row(t, "model_conditioned", "Afghanistan").forecast_total == Approx(18));
  CHECK(row(t, "model", "Afghanistan").crps > 2.0);
  CHECK(row(t, "model", "Afghanistan").forecast_total == Approx(45));
  CHECK_THAT(t.conditioning, Catch::Matchers::Contains("2018-01..2018-06") &&
                                 Catch::Matchers::Contains("Afghanistan 18 (replicates' median") &&
                                 Catch::Matchers::Contains("effective sample 10 of 20 (few"));

  SECTION("without the conditioning months in the forecast the row is left out, and says why") {
    const auto later = score_forecast(synthetic(20, 3, 1, {2018, 7}), country_series(), o);
    CHECK(later.rows.size() == 12);
    CHECK(later.conditioned_effective_size == 0);
    CHECK_THAT(later.conditioning, Catch::Matchers::Contains("not scored: the forecast does not hold the "
                                                             "conditioning months 2018-01..2018-06"));
  }
  SECTION("--condition-months 0 leaves it out silently") {
    o.condition_months = 0;
    const auto none = score_forecast(f, country_series(), o);
    CHECK(none.rows.size() == 12);
    CHECK(none.conditioning.empty());
  }
  SECTION("more conditioning months than training months is a usage error") {
    o.condition_months = 43;
    REQUIRE_THROWS_WITH(score_forecast(f, country_series(), o),
                        Catch::Matchers::Contains("--condition-months 43: the training window 2015-01..2018-06 has "
                                                  "42 months"));
  }
}

TEST_CASE("forecast score: the conditioned model on a district-month series sums the districts",
          "[calibration][score]") {
  auto s = district_series();
  // Replicates 0-9 forecast the record (2 a month in AFG-001), 10-19 nine a month.
  auto f = two_halves(2, 9, 0, {2017, 1});
  ScoreOptions o;
  o.train_end = {2017, 12};
  o.test_end = YearMonth{2018, 3};
  o.hawkes_samples = 50;
  const auto t = score_forecast(f, s, o);
  // 2017-07..12: the record 12 against 12 and 54 (the far half keeps e^-(sqrt 54 - sqrt 12)^2 = e^-18.0).
  CHECK(t.conditioned_effective_size == Approx(10).epsilon(1e-6));
  CHECK(row(t, "model_conditioned", "Afghanistan").cases == 6);  // 2 districts x 3 months
  CHECK(row(t, "model_conditioned", "Afghanistan").crps == Approx(0.0).margin(1e-12));
  CHECK(row(t, "model", "Afghanistan").crps == Approx(0.875));  // AFG-001: 3.5 - 3.5 / 2; AFG-002: 0
  CHECK_THAT(t.conditioning, Catch::Matchers::Contains("Afghanistan 12 (replicates' median") &&
                                 Catch::Matchers::Contains("the district series' sums"));

  SECTION("a negative count in the forecast is a data error naming the file") {
    f.values[5 * f.months * f.districts() + 7 * f.districts()] = -3;  // replicate 5, 2017-08, AFG-001
    REQUIRE_THROWS_AS(score_forecast(f, s, o), DataError);
    REQUIRE_THROWS_WITH(score_forecast(f, s, o), Catch::Matchers::Contains("synthetic.h5") &&
                                                     Catch::Matchers::Contains("replicate 5 holds a negative count "
                                                                               "(-3) in 2017-08"));
  }
}
