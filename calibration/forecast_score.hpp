#pragma once
// Scores a forecast ensemble (a result file of `iskabm run`) against an observed monthly series,
// next to three statistical baselines fitted on a training window and forecasting the same test
// months: seasonal naive, negative-binomial regression, Hawkes process (docs/scoring.md).
//
// Units scored: the two countries for a country-month series; every district of the forecast for
// a district-month series (a district-month without a row is a zero). The baselines are fitted to
// each country's monthly totals; at district level a country forecast is split by binomial
// thinning with the district's share of the country's training events, (n_d + 1/D) / (N + 1)
// (one pseudo-event spread evenly over the country's D districts, so no district has share 0).
// Scores are means over the scope's unit-months of the test window.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "calibration/observed_series.hpp"
#include "output/forecast_ensemble.hpp"

namespace iskabm {

struct ScoreOptions {
  YearMonth train_start{2015, 1};     // first month after ISK's declaration (26 January 2015)
  YearMonth train_end{2018, 6};       // last training month
  std::optional<YearMonth> test_end;  // default: the last month in both the series and the forecast
  std::size_t hawkes_samples = 2000;
  std::uint64_t seed = 20150126;  // Hawkes simulations and district splits
  double ridge = 1.0;             // NB regression: penalty on the month effects
  // The model's replicates conditioned on the record's last `condition_months` training months
  // (calibration/forecast_conditioning.hpp): the row `model_conditioned`; 0 leaves it out.
  int condition_months = 6;
};
inline constexpr int min_training_months = 24;

struct ScoreRow {
  std::string forecaster;                                          // forecaster_names()
  std::string scope;                                               // Afghanistan, Pakistan, overall
  std::size_t cases = 0;                                           // unit-months scored
  double crps = 0, log_score = 0, coverage50 = 0, coverage90 = 0;  // means over the cases
  double forecast_total = 0;                                       // sum over the cases of the forecast means
  double observed_total = 0;                                       // sum over the cases of the observed counts
};

struct ScoreTable {
  std::string forecast_source, variable, observed_source, column;
  SeriesFormat format = SeriesFormat::country_month;
  std::size_t replicates = 0, units = 0;
  YearMonth train_start, train_end, test_start, test_end;
  std::vector<ScoreRow> rows;       // forecaster-major, scopes Afghanistan, Pakistan, overall
  std::vector<std::string> fitted;  // one line per fitted baseline and country
  // The conditioned model: its line (months, observed counts, effective sample size), or why the
  // row is missing (the forecast does not hold the conditioning months); empty when not asked for.
  std::string conditioning;
  double conditioned_effective_size = 0;  // 0 when the row is missing
};

// The forecast must hold every test month (loaded from train_end + 1 on: see
// read_forecast_ensemble); the conditioned row needs the conditioning months too (loaded from
// conditioning_start(options) on), and is left out, with the reason in `conditioning`, when the
// forecast does not hold them. Throws UsageError for windows that do not fit the series (or a
// training window shorter than min_training_months) and DataError when the forecast does not
// cover the test months or the series names a district the forecast does not have.
[[nodiscard]] ScoreTable score_forecast(const ForecastEnsemble& forecast, const ObservedSeries& observed,
                                        const ScoreOptions& options);

inline const std::vector<std::string>& forecaster_names() {
  static const std::vector<std::string> names{"model", "model_conditioned", "seasonal_naive", "nb_regression",
                                              "hawkes"};
  return names;
}

// The first month the forecast must hold: the first conditioning month, or the first test month.
[[nodiscard]] inline YearMonth conditioning_start(const ScoreOptions& o) {
  return o.train_end.plus(1 - std::max(0, o.condition_months));
}

}  // namespace iskabm
