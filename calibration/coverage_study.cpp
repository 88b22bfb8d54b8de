#include "calibration/coverage_study.hpp"

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
                                 const std::atomic<bool>* stop) {
  CoverageStudy study;
  study.keys = keys;
  constexpr std::uint64_t truth_generation = 0xFFFFFFFFull;  // never reached by ABC-SMC generations
  constexpr std::uint64_t truth_stride = 1ull << 16;         // generations per truth (far more than used)
  for (std::size_t t = 0; t < truths; ++t) {
    SyntheticTruth s;
    s.index = t;
    s.truth = synthetic_truth(priors, options.seed, t);
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
