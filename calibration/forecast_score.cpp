#include "calibration/forecast_score.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_map>

#include "base/errors.hpp"
#include "calibration/forecast_baselines.hpp"
#include "calibration/forecast_conditioning.hpp"
#include "calibration/scoring_rules.hpp"

namespace iskabm {

namespace {

struct Accumulator {
  std::size_t cases = 0;
  double crps = 0, log_score = 0, in50 = 0, in90 = 0, forecast = 0, observed = 0;
  void add(const PointScores& s, double y) {
    ++cases;
    crps += s.crps;
    log_score += s.log_score;
    in50 += s.in50;
    in90 += s.in90;
    forecast += s.mean;
    observed += y;
  }
  void add(const Accumulator& o) {
    cases += o.cases;
    crps += o.crps, log_score += o.log_score, in50 += o.in50, in90 += o.in90;
    forecast += o.forecast, observed += o.observed;
  }
  [[nodiscard]] ScoreRow row(std::string forecaster, std::string scope) const {
    const double n = cases ? static_cast<double>(cases) : 1.0;
    return {std::move(forecaster),
            std::move(scope),
            cases,
            crps / n,
            log_score / n,
            in50 / n,
            in90 / n,
            forecast,
            observed};
  }
};

YearMonth year_month(const CivilDate& d) { return {d.year, d.month}; }

// Binomial(n, p) by inversion with one uniform (n is small: a month's events).
double binomial(double n_events, double p, RandomStream& rng) {
  const auto n = std::llround(n_events);
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return static_cast<double>(n);
  const double u = rng.uniform(), odds = p / (1 - p);
  double pk = std::pow(1 - p, static_cast<double>(n)), cdf = pk;
  long long k = 0;
  while (u > cdf && k < n) {
    pk *= static_cast<double>(n - k) / static_cast<double>(k + 1) * odds;
    ++k;
    cdf += pk;
  }
  return static_cast<double>(k);
}

std::string size_text(double size) { return std::isinf(size) ? "Poisson" : fmt::format("NB size {:.3g}", size); }

}  // namespace

ScoreTable score_forecast(const ForecastEnsemble& forecast, const ObservedSeries& observed, const ScoreOptions& o) {
  ScoreTable table;
  table.forecast_source = forecast.source;
  table.variable = forecast.variable;
  table.observed_source = observed.source;
  table.column = observed.column;
  table.format = observed.format;
  table.replicates = forecast.replicates;

  // ---- windows
  if (o.hawkes_samples == 0) throw UsageError("--samples must be at least 1");
  if (o.condition_months < 0) throw UsageError("--condition-months must be 0 or more");
  const auto series_range = fmt::format("{}..{}", to_string(observed.first), to_string(observed.last));
  if (o.train_end < o.train_start)
    throw UsageError(
        fmt::format("--train-end {} is before --train-start {}", to_string(o.train_end), to_string(o.train_start)));
  const int n_train = months_between(o.train_start, o.train_end);
  if (n_train < min_training_months)
    throw UsageError(
        fmt::format("the training window {}..{} has {} months; at least {} are needed (the seasonal "
                    "naive and the month effects need two years)",
                    to_string(o.train_start), to_string(o.train_end), n_train, min_training_months));
  if (o.train_start < observed.first)
    throw UsageError(fmt::format("the training window starts in {}, before the series {} ({})",
                                 to_string(o.train_start), observed.source, series_range));
  if (!(o.train_end < observed.last))
    throw UsageError(fmt::format("no test months: the series {} ({}) ends before the month after --train-end {}",
                                 observed.source, series_range, to_string(o.train_end)));
  if (o.condition_months > n_train)
    throw UsageError(fmt::format("--condition-months {}: the training window {}..{} has {} months",
                                 o.condition_months, to_string(o.train_start), to_string(o.train_end), n_train));
  const YearMonth test_start = o.train_end.plus(1);
  if (forecast.file_months.empty()) throw DataError(forecast.source, 0, "time", "the file holds no month");
  const YearMonth forecast_first = year_month(forecast.file_months.front()),
                  forecast_last = year_month(forecast.file_months.back());
  const auto forecast_range = fmt::format("{}..{}", to_string(forecast_first), to_string(forecast_last));
  const YearMonth test_end = o.test_end.value_or(std::min(observed.last, forecast_last));
  if (test_end < test_start) {
    if (o.test_end)
      throw UsageError(
          fmt::format("--test-end {} is not after --train-end {}", to_string(test_end), to_string(o.train_end)));
    throw DataError(forecast.source, 0, "time",
                    fmt::format("the forecast holds the months {}, none of them after --train-end {}", forecast_range,
                                to_string(o.train_end)));
  }
  if (observed.last < test_end)
    throw UsageError(fmt::format("--test-end {} is after the end of the series {} ({})", to_string(test_end),
                                 observed.source, series_range));
  const int n_test = months_between(test_start, test_end);
  const auto loaded_month = [&](YearMonth want) {  // forecast.months when not loaded
    std::size_t k = 0;
    while (k < forecast.months && year_month(forecast.file_months[forecast.first_month + k]) != want) ++k;
    return k;
  };
  std::vector<std::size_t> loaded(static_cast<std::size_t>(n_test));  // test month -> loaded month of the forecast
  for (int h = 0; h < n_test; ++h) {
    const auto k = loaded_month(test_start.plus(h));
    if (k == forecast.months)
      throw DataError(forecast.source, 0, "time",
                      fmt::format("the forecast holds the months {}, not every test month {}..{}", forecast_range,
                                  to_string(test_start), to_string(test_end)));
    loaded[static_cast<std::size_t>(h)] = k;
  }
  table.train_start = o.train_start;
  table.train_end = o.train_end;
  table.test_start = test_start;
  table.test_end = test_end;

  // ---- observed counts per unit, months train_start..test_end
  const bool district = observed.format == SeriesFormat::district_month;
  const std::size_t units = district ? forecast.districts() : country_count;
  table.units = units;
  std::vector<Country> unit_country(units);
  for (std::size_t u = 0; u < units; ++u)
    unit_country[u] = district ? forecast.district_country[u] : static_cast<Country>(u);
  std::unordered_map<std::string, std::size_t> district_index;
  if (district)
    for (std::size_t d = 0; d < forecast.districts(); ++d) district_index.emplace(forecast.district_id[d], d);
  const auto n_months = static_cast<std::size_t>(n_train + n_test);
  std::vector<double> obs(units * n_months, 0.0);  // (unit, month)
  for (const auto& row : observed.rows) {
    std::size_t u = static_cast<std::size_t>(row.country);
    if (district) {
      const auto it = district_index.find(row.unit);
      if (it == district_index.end())
        throw DataError(observed.source, row.line, "district_id",
                        fmt::format("district {} is not among the {} districts of the forecast {}", row.unit,
                                    forecast.districts(), forecast.source));
      u = it->second;
      if (forecast.district_country[u] != row.country)
        throw DataError(observed.source, row.line, "country",
                        fmt::format("district {} is in {} in the forecast {}", row.unit,
                                    country_name(forecast.district_country[u]), forecast.source));
    }
    if (row.month < o.train_start || test_end < row.month) continue;
    obs[u * n_months + static_cast<std::size_t>(row.month.index() - o.train_start.index())] =
        static_cast<double>(row.value);
  }

  // ---- the model's replicates conditioned on the last training months
  std::vector<std::size_t> conditioned;  // resampled replicate indices; empty: no conditioned row
  if (o.condition_months > 0) {
    const auto first = o.train_end.plus(1 - o.condition_months);
    const auto months_text = fmt::format("{}..{}", to_string(first), to_string(o.train_end));
    std::vector<std::size_t> months;
    for (int i = 0; i < o.condition_months; ++i) months.push_back(loaded_month(first.plus(i)));
    if (std::find(months.begin(), months.end(), forecast.months) != months.end()) {
      table.conditioning = fmt::format(
          "model_conditioned  not scored: the forecast does not hold the conditioning months {} (its months {}; "
          "--condition-months 0 leaves the row out)",
          months_text, forecast_range);
    } else {
      std::vector<double> simulated(forecast.replicates * country_count, 0.0), record(country_count, 0.0);
      for (std::size_t r = 0; r < forecast.replicates; ++r)
        for (const auto k : months)
          for (std::size_t d = 0; d < forecast.districts(); ++d) {
            const auto x = forecast.at(r, k, d);
            if (x < 0)
              throw DataError(forecast.source, 0, forecast.variable,
                              fmt::format("replicate {} holds a negative count ({}) in {}", r, x,
                                          to_string(year_month(forecast.file_months[forecast.first_month + k]))));
            simulated[r * country_count + static_cast<std::size_t>(forecast.district_country[d])] += x;
          }
      const auto t0 = static_cast<std::size_t>(first.index() - o.train_start.index());
      for (std::size_t u = 0; u < units; ++u)
        for (std::size_t i = 0; i < months.size(); ++i)
          record[static_cast<std::size_t>(unit_country[u])] += obs[u * n_months + t0 + i];
      const auto c = condition_on_record(simulated, country_count, record);
      conditioned = c.resampled;
      table.conditioned_effective_size = c.effective_size;
      std::vector<std::string> parts;
      for (std::size_t k = 0; k < country_count; ++k) {
        std::vector<double> s(forecast.replicates);
        for (std::size_t r = 0; r < forecast.replicates; ++r) s[r] = simulated[r * country_count + k];
        std::sort(s.begin(), s.end());
        parts.push_back(fmt::format("{} {:g} (replicates' median {:g})", country_name(static_cast<Country>(k)),
                                    record[k], sample_quantile(s, 0.5)));
      }
      table.conditioning = fmt::format(
          "model_conditioned  replicates weighted by their {} in {} against the record's: {}; effective sample "
          "{:.0f} of {}{}{}",
          forecast.variable, months_text, fmt::join(parts, ", "), c.effective_size, forecast.replicates,
          c.effective_size < 30 ? " (few: run more replicates)" : "",
          district ? "; the record's counts are the district series' sums: it has only the events with a district"
                   : "");
    }
  }

  // ---- baselines, fitted per country on the training months
  std::vector<std::vector<double>> train_total(country_count,
                                               std::vector<double>(static_cast<std::size_t>(n_train), 0.0));
  std::vector<std::size_t> units_in(country_count, 0);
  for (std::size_t u = 0; u < units; ++u) {
    const auto c = static_cast<std::size_t>(unit_country[u]);
    ++units_in[c];
    for (int t = 0; t < n_train; ++t)
      train_total[c][static_cast<std::size_t>(t)] += obs[u * n_months + static_cast<std::size_t>(t)];
  }
  std::vector<SeasonalNaive> naive;
  std::vector<NbRegression> regression;
  std::vector<std::vector<std::vector<double>>> hawkes;  // (country, test month, sample)
  for (std::size_t c = 0; c < country_count; ++c) {
    const auto name = country_name(static_cast<Country>(c));
    const auto& y = train_total[c];
    naive.push_back(fit_seasonal_naive(o.train_start, y));
    table.fitted.push_back(fmt::format("seasonal_naive  {:<12} same month of the last training year, {}", name,
                                       size_text(naive.back().size)));
    regression.push_back(fit_nb_regression(o.train_start, y, o.ridge));
    const auto& r = regression.back();
    if (r.all_zero) {
      table.fitted.push_back(fmt::format("nb_regression   {:<12} no training events: Poisson mean {:.3g} a month", name,
                                         r.mean(test_start)));
    } else {
      const auto [lo, hi] = std::minmax_element(r.month_effect.begin(), r.month_effect.end());
      table.fitted.push_back(
          fmt::format("nb_regression   {:<12} mean {:.2f} in {}, trend x{:.2f} a year, month "
                      "effects x{:.2f}..x{:.2f}, {}",
                      name, r.mean(test_start), to_string(test_start), std::exp(r.trend), std::exp(*lo), std::exp(*hi),
                      size_text(r.size)));
    }
    const auto history = spread_monthly_counts(o.train_start, y);
    const auto fit = fit_hawkes(history, days_between(o.train_start, test_start));
    const auto kernel = fit.parameters.alpha < 0.005 ? std::string("no self-excitation")
                                                     : fmt::format("branching ratio {:.2f}, kernel mean {:.3g} days",
                                                                   fit.parameters.alpha, 1 / fit.parameters.beta);
    table.fitted.push_back(fmt::format("hawkes          {:<12} mu {:.3g}/day, {}, {} training events", name,
                                       fit.parameters.mu, kernel, fit.events));
    hawkes.push_back(hawkes_forecast(fit, history, o.train_start, n_train, n_test, o.hawkes_samples, o.seed, c));
  }
  std::vector<double> share(units, 1.0);
  if (district) {
    std::vector<double> country_total(country_count, 0.0);
    for (std::size_t c = 0; c < country_count; ++c)
      country_total[c] = std::accumulate(train_total[c].begin(), train_total[c].end(), 0.0);
    for (std::size_t u = 0; u < units; ++u) {
      const auto c = static_cast<std::size_t>(unit_country[u]);
      const double n_u = std::accumulate(
          obs.begin() + static_cast<std::ptrdiff_t>(u * n_months),
          obs.begin() + static_cast<std::ptrdiff_t>(u * n_months + static_cast<std::size_t>(n_train)), 0.0);
      share[u] = (n_u + 1.0 / static_cast<double>(units_in[c])) / (country_total[c] + 1.0);
    }
  }

  // ---- model samples per unit, over a list of replicates (all of them, or the conditioned
  // resample): a country's sum over its districts, or one district
  std::vector<std::size_t> every(forecast.replicates);
  std::iota(every.begin(), every.end(), std::size_t{0});
  const auto model_sample = [&](const std::vector<std::size_t>& replicates, std::size_t u, std::size_t k) {
    std::vector<double> s;
    s.reserve(replicates.size());
    for (const auto r : replicates) {
      if (district) {
        s.push_back(forecast.at(r, k, u));
        continue;
      }
      long total = 0;
      for (std::size_t d = 0; d < forecast.districts(); ++d)
        if (static_cast<std::size_t>(forecast.district_country[d]) == u) total += forecast.at(r, k, d);
      s.push_back(static_cast<double>(total));
    }
    return s;
  };

  // ---- score every unit-month
  const auto& names = forecaster_names();
  std::vector<std::vector<Accumulator>> acc(names.size(), std::vector<Accumulator>(country_count));
  for (std::size_t u = 0; u < units; ++u) {
    const auto c = static_cast<std::size_t>(unit_country[u]);
    for (int h = 0; h < n_test; ++h) {
      const auto hs = static_cast<std::size_t>(h);
      const YearMonth m = test_start.plus(h);
      const double y = obs[u * n_months + static_cast<std::size_t>(n_train + h)];
      const auto yi = std::llround(y);
      acc[0][c].add(score_sample(model_sample(every, u, loaded[hs]), yi), y);
      if (!conditioned.empty()) acc[1][c].add(score_sample(model_sample(conditioned, u, loaded[hs]), yi), y);
      acc[2][c].add(score(naive[c].forecast(m).thinned(share[u]), yi), y);
      acc[3][c].add(score(regression[c].forecast(m).thinned(share[u]), yi), y);
      if (district) {
        RandomStream rng(o.seed, c, Purpose::forecast_baseline, 1 + hs, u);
        std::vector<double> thinned(o.hawkes_samples);
        for (std::size_t s = 0; s < o.hawkes_samples; ++s) thinned[s] = binomial(hawkes[c][hs][s], share[u], rng);
        acc[4][c].add(score_sample(std::move(thinned), yi), y);
      } else {
        acc[4][c].add(score_sample(hawkes[c][hs], yi), y);
      }
    }
  }
  for (std::size_t f = 0; f < names.size(); ++f) {
    if (f == 1 && conditioned.empty()) continue;
    Accumulator all;
    for (std::size_t c = 0; c < country_count; ++c) {
      table.rows.push_back(acc[f][c].row(names[f], std::string(country_name(static_cast<Country>(c)))));
      all.add(acc[f][c]);
    }
    table.rows.push_back(all.row(names[f], "overall"));
  }
  return table;
}

}  // namespace iskabm
