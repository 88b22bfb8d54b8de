#include "calibration/sensitivity_study.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "base/errors.hpp"
#include "calibration/point_ensembles.hpp"

namespace iskabm {

std::string_view to_string(SensitivityMethod m) noexcept { return m == SensitivityMethod::morris ? "morris" : "sobol"; }

double SensitivityStudy::overall(std::size_t factor) const {
  double sum = 0, weight = 0;
  for (const auto& x : indices) {
    if (x.factor != factor || !(x.output_sd > 0)) continue;
    const double w = weights.empty() ? 1.0 : weights[x.statistic];
    const double v = options.method == SensitivityMethod::morris ? x.mu_star / x.output_sd : x.total;
    if (!std::isfinite(v)) continue;
    sum += w * v;
    weight += w;
  }
  return weight > 0 ? sum / weight : 0.0;
}

std::vector<std::size_t> SensitivityStudy::ranking() const {
  std::vector<std::size_t> order(factors.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::vector<double> score(factors.size());
  for (std::size_t f = 0; f < factors.size(); ++f) score[f] = overall(f);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return score[a] > score[b]; });
  return order;
}

std::vector<double> sensitivity_point_values(const std::vector<Prior>& priors, const std::vector<double>& u,
                                             const SensitivityOptions& o) {
  std::vector<double> theta(priors.size());
  for (std::size_t i = 0; i < priors.size(); ++i) {
    double q = u[i];
    if (o.method == SensitivityMethod::morris) {
      const double p = static_cast<double>(o.levels);
      q = (std::round(u[i] * (p - 1)) + 0.5) / p;
    }
    theta[i] = priors[i].quantile(q);
  }
  return theta;
}

SensitivityStudy run_sensitivity_study(const std::vector<std::string>& factors, const std::vector<Prior>& priors,
                                       const std::vector<std::string>& statistics, const std::vector<double>& weights,
                                       const SensitivityOptions& o, const AbcSimulator& simulate,
                                       const std::function<void(std::size_t, std::size_t)>& on_progress,
                                       const std::atomic<bool>* stop, std::vector<std::vector<double>> done,
                                       const std::function<void(const SensitivityStudy&)>& on_checkpoint,
                                       const RunBatchSimulator& batch) {
  if (factors.empty() || factors.size() != priors.size()) throw Error("sensitivity: one prior per factor is needed");
  if (o.replicates == 0) throw Error("sensitivity: at least one replicate per design point is needed");
  SensitivityStudy study;
  study.options = o;
  study.factors = factors;
  study.statistics = statistics;
  study.weights = weights;
  const auto k = factors.size();

  sensitivity::MorrisDesign morris;
  sensitivity::SaltelliDesign saltelli;
  const std::vector<std::vector<double>>* points = nullptr;
  if (o.method == SensitivityMethod::morris) {
    morris = sensitivity::morris_design(k, o.trajectories, o.levels, o.seed);
    points = &morris.points;
  } else {
    saltelli = sensitivity::saltelli_design(k, o.base_samples);
    points = &saltelli.points;
  }
  const auto n = points->size();
  study.design = *points;
  for (const auto& u : study.design) study.values.push_back(sensitivity_point_values(priors, u, o));

  // outputs[point][statistic]: the mean over the replicates (where defined), common random numbers.
  if (done.size() > n) throw Error("sensitivity: more points done than the design has");
  const PointEnsembleOptions ensemble{.replicates = o.replicates,
                                      .generation = (std::uint64_t{1} << 31) - 1,
                                      .common_random_numbers = true,
                                      .first_index = done.size(),
                                      .threads = o.threads,
                                      .batch = batch};
  study.outputs = std::move(done);  // filled batch by batch: a checkpoint sees the points done
  auto& outputs = study.outputs;
  const auto first_new = outputs.size();
  const std::vector<std::vector<double>> rest(study.values.begin() + static_cast<std::ptrdiff_t>(first_new),
                                              study.values.end());
  (void)simulate_point_ensembles(
      rest, ensemble, simulate,
      on_progress ? std::function<void(std::size_t, std::size_t)>(
                        [&](std::size_t d, std::size_t) { on_progress(first_new + d, n); })
                  : std::function<void(std::size_t, std::size_t)>{},
      stop, [&](std::size_t, const std::vector<PointEnsemble>& ensembles) {
        for (const auto& e : ensembles) outputs.push_back(e.mean);
        if (on_checkpoint) on_checkpoint(study);
      });
  if (outputs.size() < n) {
    study.interrupted = true;
    return study;
  }
  study.simulations = static_cast<std::uint64_t>(n) * o.replicates;

  const auto m = statistics.size();
  for (const auto& out : outputs)
    if (out.size() != m) throw Error("sensitivity: the simulator returned the wrong number of statistics");
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<std::vector<SensitivityIndex>> by_statistic(m);
  for (std::size_t s = 0; s < m; ++s) {
    std::vector<double> y(n);
    for (std::size_t j = 0; j < n; ++j) y[j] = outputs[j][s];
    if (o.log_outputs && std::all_of(y.begin(), y.end(), [](double v) { return v >= 0; }))
      for (auto& v : y) v = std::log1p(v);
    // The estimators need the statistic at every point: one undefined somewhere (NaN, e.g. a ratio
    // with no attacks) gets NaN indices and sd 0, and stays out of the ranking.
    const bool defined = std::all_of(y.begin(), y.end(), [](double v) { return std::isfinite(v); });
    double mean = 0, ss = 0;
    for (double v : y) mean += v / static_cast<double>(n);
    for (double v : y) ss += (v - mean) * (v - mean);
    double sd = defined && n > 1 ? std::sqrt(ss / static_cast<double>(n - 1)) : 0.0;
    if (sd <= 1e-12 * (std::abs(mean) + 1.0)) sd = 0.0;  // constant over the design, up to rounding
    for (std::size_t f = 0; f < k; ++f) {
      SensitivityIndex x;
      x.factor = f;
      x.statistic = s;
      x.output_sd = sd;
      x.mu = x.mu_star = x.sigma = nan;
      x.first = x.first_low = x.first_high = x.total = x.total_low = x.total_high = nan;
      by_statistic[s].push_back(x);
    }
    if (!(sd > 0)) continue;  // undefined somewhere, or constant: no indices
    if (o.method == SensitivityMethod::morris) {
      // The design steps by Delta = p / (2 (p - 1)) on the grid, which the cell midpoints turn into
      // a step of 1/2 in prior quantile: effects per unit of quantile are the grid's x p / (p - 1).
      const auto e = sensitivity::morris_indices(morris, y);
      const double per_quantile = static_cast<double>(o.levels) / static_cast<double>(o.levels - 1);
      for (std::size_t f = 0; f < k; ++f) {
        by_statistic[s][f].mu = e.mu[f] * per_quantile;
        by_statistic[s][f].mu_star = e.mu_star[f] * per_quantile;
        by_statistic[s][f].sigma = e.sigma[f] * per_quantile;
      }
    } else {
      const auto e = sensitivity::sobol_indices(saltelli, y, o.bootstrap, o.seed + 1 + s);
      for (std::size_t f = 0; f < k; ++f) {
        auto& x = by_statistic[s][f];
        x.first = e.first[f], x.first_low = e.first_low[f], x.first_high = e.first_high[f];
        x.total = e.total[f], x.total_low = e.total_low[f], x.total_high = e.total_high[f];
      }
    }
  }
  for (std::size_t f = 0; f < k; ++f)
    for (std::size_t s = 0; s < m; ++s) study.indices.push_back(by_statistic[s][f]);
  return study;
}

}  // namespace iskabm
