#include "calibration/coverage_study.hpp"

#include <algorithm>
#include <utility>

#include "model/random_stream.hpp"

namespace iskabm {

std::size_t CoverageStudy::scored() const {
  std::size_t n = 0;
  for (const auto& t : truths) n += t.scored();
  return n;
}

double CoverageStudy::coverage(std::size_t p) const {
  const auto n = scored();
  if (n == 0) return 0;
  double covered = 0;
  for (const auto& t : truths) covered += t.covered(p);
  return covered / static_cast<double>(n);
}

std::string_view to_string(TruthDesign d) noexcept {
  switch (d) {
    case TruthDesign::random: return "random";
    case TruthDesign::latin: return "latin";
  }
  return "?";
}

std::vector<std::vector<double>> synthetic_truths(const std::vector<Prior>& priors, std::uint64_t seed,
                                                  std::size_t count, TruthDesign design) {
  std::vector<std::vector<double>> truths(count);
  if (design == TruthDesign::random) {
    for (std::size_t t = 0; t < count; ++t) truths[t] = synthetic_truth(priors, seed, t);
    return truths;
  }
  for (auto& t : truths) t.resize(priors.size());
  for (std::size_t p = 0; p < priors.size(); ++p) {
    RandomStream rng(seed, p, Purpose::synthetic_truth, 1, 0);
    std::vector<std::size_t> stratum(count);
    for (std::size_t i = 0; i < count; ++i) stratum[i] = i;
    for (std::size_t i = count; i > 1; --i)  // Fisher-Yates
      std::swap(stratum[i - 1], stratum[std::min(static_cast<std::size_t>(rng.uniform() * static_cast<double>(i)), i - 1)]);
    for (std::size_t t = 0; t < count; ++t)
      truths[t][p] = priors[p].quantile((static_cast<double>(stratum[t]) + rng.uniform()) / static_cast<double>(count));
  }
  return truths;
}

std::vector<double> synthetic_truth(const std::vector<Prior>& priors, std::uint64_t seed, std::size_t t) {
  RandomStream rng(seed, t, Purpose::synthetic_truth, 0, 0);
  std::vector<double> theta;
  for (const auto& p : priors) theta.push_back(p.sample(rng));
  return theta;
}

CoverageStudy run_coverage_study(const std::vector<std::string>& keys, const std::vector<std::string>& units,
                                 const std::vector<Prior>& priors, const std::vector<double>& weights,
                                 const AbcOptions& options, const AbcSimulator& simulate, std::size_t truths,
                                 const std::function<void(const SyntheticTruth&)>& on_truth,
                                 const std::atomic<bool>* stop, TruthDesign design) {
  CoverageStudy study;
  const auto drawn = synthetic_truths(priors, options.seed, truths, design);
  study.keys = keys;
  constexpr std::uint64_t truth_generation = 0xFFFFFFFFull;  // never reached by ABC-SMC generations
  constexpr std::uint64_t truth_stride = 1ull << 16;         // generations per truth (far more than used)
  for (std::size_t t = 0; t < truths; ++t) {
    SyntheticTruth s;
    s.index = t;
    s.truth = drawn[t];
    const auto observed = simulate(s.truth, truth_generation, t);
    auto o = options;
    o.seed = options.seed + 1 + t;
    // Each truth's calibration simulates its own replicates (generation offset by the truth), so
    // the truths share no model random numbers and their coverage outcomes are independent.
    const std::uint64_t offset = (t + 1) * truth_stride;
    const AbcSimulator own = [&](const std::vector<double>& theta, std::uint64_t g, std::uint64_t p) {
      return simulate(theta, g + offset, p);
    };
    AbcSmc smc(priors, observed, weights, o, own);
    const auto r = smc.run(nullptr, stop);
    if (r.stop == AbcStop::interrupted) {
      study.interrupted = true;
      break;
    }
    if (r.generations.empty()) {  // e.g. rejection ABC out of budget: nothing to score
      s.stop = r.stop;
      study.truths.push_back(s);
      if (on_truth) on_truth(study.truths.back());
      continue;
    }
    s.posterior = summarise_population(r.generations.back(), keys, units, priors);
    s.simulations = r.generations.back().simulations_total;
    s.generations = r.generations.size();
    s.stop = r.stop;
    study.truths.push_back(s);
    if (on_truth) on_truth(study.truths.back());
  }
  return study;
}

}  // namespace iskabm
