#include "calibration/history_matching.hpp"

#include <boost/random/sobol.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <limits>

#include "base/errors.hpp"
#include "calibration/point_ensembles.hpp"
#include "model/random_stream.hpp"

namespace iskabm {

namespace {
constexpr double inf = std::numeric_limits<double>::infinity();
constexpr std::uint64_t first_generation = std::uint64_t{1} << 30;
}  // namespace

std::string implausibility_rank_name(std::size_t rank) {
  switch (rank) {
    case 1: return "max";
    case 2: return "second";
    case 3: return "third";
    default: return fmt::format("{}th", rank);
  }
}

std::size_t implausibility_rank_of(const std::string& name) {
  if (name == "max") return 1;
  if (name == "second") return 2;
  if (name == "third") return 3;
  std::size_t rank = 0;
  for (char c : name) {
    if (c < '0' || c > '9' || rank > 100000) return 0;
    rank = rank * 10 + static_cast<std::size_t>(c - '0');
  }
  return rank;
}

double implausibility(double observed, double mean, double variance, std::uint32_t replicates,
                      double observation_variance, double discrepancy_variance) noexcept {
  if (!std::isfinite(observed)) return 0.0;  // nothing to match
  if (!std::isfinite(mean)) return inf;      // the model never produces what was observed
  const double ensemble =
      std::isfinite(variance) && replicates > 0 ? variance * (1.0 + 1.0 / static_cast<double>(replicates)) : 0.0;
  const double total = observation_variance + discrepancy_variance + ensemble;
  const double miss = std::abs(observed - mean);
  if (!(total > 0)) return miss == 0 ? 0.0 : inf;
  return miss / std::sqrt(total);
}

double point_implausibility(std::vector<double> per_statistic, std::size_t rank) {
  if (per_statistic.empty()) return 0.0;
  std::sort(per_statistic.begin(), per_statistic.end(), std::greater<>());
  const auto k = std::clamp<std::size_t>(rank, 1, per_statistic.size());
  return per_statistic[k - 1];
}

std::vector<double> HistoryMatch::lower(std::size_t factors) const {
  return waves.empty() ? std::vector<double>(factors, 0.0) : waves.back().next_lower;
}
std::vector<double> HistoryMatch::upper(std::size_t factors) const {
  return waves.empty() ? std::vector<double>(factors, 1.0) : waves.back().next_upper;
}

std::vector<std::vector<double>> history_match_design(const std::vector<double>& lower,
                                                      const std::vector<double>& upper, std::size_t points,
                                                      std::size_t wave, std::uint64_t seed) {
  const auto k = lower.size();
  if (k == 0 || upper.size() != k) throw Error("history matching: the box needs one bound pair per parameter");
  boost::random::sobol sequence(k);
  sequence.discard(static_cast<std::uintmax_t>(wave) * points * k);
  RandomStream shift_stream(seed, wave, Purpose::history_matching, 0, 0);
  std::vector<double> shift(k);
  for (auto& x : shift) x = shift_stream.uniform();
  const double scale = std::ldexp(1.0, -64);  // the engine's 64-bit integers onto [0, 1)
  std::vector<std::vector<double>> design(points, std::vector<double>(k));
  for (auto& u : design)
    for (std::size_t i = 0; i < k; ++i) {
      double x = static_cast<double>(sequence()) * scale + shift[i];
      x -= std::floor(x);
      u[i] = lower[i] + (upper[i] - lower[i]) * x;
    }
  return design;
}

double prior_at(const Prior& prior, double u) { return prior.quantile(std::clamp(u, 1e-9, 1.0 - 1e-9)); }

HistoryMatch run_history_match(const std::vector<Prior>& priors, const ImplausibilityTerms& terms,
                               const HistoryMatchOptions& o, const AbcSimulator& simulate,
                               const std::function<void(const HistoryMatchWave&)>& on_wave,
                               const std::function<void(std::size_t, std::size_t)>& on_progress,
                               const std::atomic<bool>* stop, std::vector<HistoryMatchWave> resume_from,
                               const RunBatchSimulator& batch) {
  const auto k = priors.size();
  const auto m = terms.observed.size();
  if (k == 0) throw Error("history matching: no parameter to match");
  if (o.replicates < 2) throw Error("history matching: at least 2 replicates per point (the ensemble variance)");
  if (o.points == 0 || o.waves == 0) throw Error("history matching: at least one wave of at least one point");
  if (terms.observation_variance.size() != m || terms.discrepancy_variance.size() != m)
    throw Error("history matching: one observation and one discrepancy variance per statistic");
  HistoryMatch result;
  result.waves = std::move(resume_from);
  if (!result.waves.empty() && result.waves.back().non_implausible_fraction == 0) result.exhausted = true;
  while (result.waves.size() < o.waves && !result.exhausted) {
    const auto t0 = std::chrono::steady_clock::now();
    HistoryMatchWave w;
    w.index = result.waves.size();
    w.lower = result.lower(k);
    w.upper = result.upper(k);
    w.design = history_match_design(w.lower, w.upper, o.points, w.index, o.seed);
    for (const auto& u : w.design) {
      std::vector<double> theta(k);
      for (std::size_t i = 0; i < k; ++i) theta[i] = prior_at(priors[i], u[i]);
      w.values.push_back(std::move(theta));
    }
    const PointEnsembleOptions ensemble{.replicates = o.replicates,
                                        .generation = first_generation + w.index,
                                        .common_random_numbers = false,
                                        .threads = o.threads,
                                        .batch = batch};
    auto ensembles = simulate_point_ensembles(w.values, ensemble, simulate, on_progress, stop);
    if (ensembles.size() < w.values.size()) {
      result.interrupted = true;
      return result;
    }
    std::vector<double> lo(k, inf), hi(k, -inf);
    std::size_t passed = 0;
    for (std::size_t j = 0; j < ensembles.size(); ++j) {
      auto& e = ensembles[j];
      if (e.mean.size() != m) throw Error("history matching: the simulator returned the wrong number of statistics");
      std::vector<double> per(m);
      for (std::size_t s = 0; s < m; ++s)
        per[s] = implausibility(terms.observed[s], e.mean[s], e.variance[s], e.defined[s],
                                terms.observation_variance[s], terms.discrepancy_variance[s]);
      const double measure = point_implausibility(per, o.rank);
      const bool ok = measure <= o.cutoff;
      w.point_implausibility.push_back(measure);
      w.non_implausible.push_back(ok ? 1 : 0);
      w.implausibility.push_back(std::move(per));
      w.mean.push_back(std::move(e.mean));
      w.variance.push_back(std::move(e.variance));
      if (!ok) continue;
      ++passed;
      for (std::size_t i = 0; i < k; ++i) lo[i] = std::min(lo[i], w.design[j][i]), hi[i] = std::max(hi[i], w.design[j][i]);
    }
    w.non_implausible_fraction = static_cast<double>(passed) / static_cast<double>(o.points);
    double volume = 1;
    for (std::size_t i = 0; i < k; ++i) volume *= w.upper[i] - w.lower[i];
    w.region_fraction = volume * w.non_implausible_fraction;
    if (passed == 0) {
      w.next_lower = w.lower, w.next_upper = w.upper;
      result.exhausted = true;
    } else if (passed <= k) {
      // Fewer points than parameters + 1 cannot bound the region (their box is flat in some
      // direction): keep the box, and let the next wave's design look again.
      w.next_lower = w.lower, w.next_upper = w.upper;
    } else {
      for (std::size_t i = 0; i < k; ++i) {
        const double pad = o.margin * (w.upper[i] - w.lower[i]);
        w.next_lower.push_back(std::max(w.lower[i], lo[i] - pad));
        w.next_upper.push_back(std::min(w.upper[i], hi[i] + pad));
      }
    }
    w.simulations = static_cast<std::uint64_t>(o.points) * o.replicates;
    w.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    result.waves.push_back(std::move(w));
    if (on_wave) on_wave(result.waves.back());
  }
  return result;
}

std::vector<Prior> bounded_priors(const std::vector<Prior>& priors, const std::vector<double>& lower,
                                  const std::vector<double>& upper) {
  std::vector<Prior> out;
  for (std::size_t i = 0; i < priors.size(); ++i) {
    const bool cut_low = lower[i] > 0, cut_high = upper[i] < 1;
    if (!cut_low && !cut_high) {
      out.push_back(priors[i]);
      continue;
    }
    out.push_back(priors[i].truncated(cut_low ? priors[i].quantile(lower[i]) : -inf,
                                      cut_high ? priors[i].quantile(upper[i]) : inf));
  }
  return out;
}

}  // namespace iskabm
