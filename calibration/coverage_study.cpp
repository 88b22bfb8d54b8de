#include "calibration/coverage_study.hpp"

#include "model/random_stream.hpp"

namespace iskabm {

double CoverageStudy::coverage(std::size_t p) const {
  if (truths.empty()) return 0;
  double n = 0;
  for (const auto& t : truths) n += t.covered(p);
  return n / static_cast<double>(truths.size());
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
  for (std::size_t t = 0; t < truths; ++t) {
    SyntheticTruth s;
    s.index = t;
    s.truth = synthetic_truth(priors, options.seed, t);
    const auto observed = simulate(s.truth, truth_generation, t);
    auto o = options;
    o.seed = options.seed + 1 + t;
    AbcSmc smc(priors, observed, weights, o, simulate);
    const auto r = smc.run(nullptr, stop);
    if (r.stop == AbcStop::interrupted || r.generations.empty()) {
      study.interrupted = true;
      break;
    }
    s.posterior = summarise_population(r.generations.back(), keys, units, priors);
    s.simulations = r.generations.back().simulations_total;
    study.truths.push_back(s);
    if (on_truth) on_truth(study.truths.back());
  }
  return study;
}

}  // namespace iskabm
