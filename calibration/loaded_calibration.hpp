#pragma once
// A calibration spec with everything a run of it needs, and its fingerprint: the scenario (cut at
// window_end), the statistic names its runs produce, the selected observed values, priors and
// parameter keys. Shared by `iskabm calibrate`, its MPI workers, `coverage` and the calibration
// bench, so they all simulate, and identify, the same calibration.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "calibration/calibration_spec.hpp"
#include "calibration/history_matching.hpp"
#include "calibration/model_simulator.hpp"
#include "calibration/prior.hpp"
#include "io/observed_data.hpp"
#include "model/model_config.hpp"

namespace iskabm {

struct LoadedCalibration {
  ModelConfig config;
  std::string scenario_toml;  // the resolved scenario, as the fingerprint and the posterior file hold it
  std::vector<std::string> names;
  CalibrationSpec spec;
  std::vector<double> observed;
  std::vector<Prior> priors;
  std::vector<std::string> keys, units;

  // The simulator of this calibration: one replicate per proposal, its selected statistics.
  [[nodiscard]] ModelSimulator simulator(const Geography& geo, std::uint64_t seed) const {
    return ModelSimulator(geo, config, spec.parameters, names, spec.statistics, seed, spec.focal);
  }
};

// defaults: the model's parameter defaults (parameters/defaults.toml).
[[nodiscard]] LoadedCalibration load_calibration(const std::filesystem::path& spec_path, const ObservedData& data,
                                                 const std::filesystem::path& defaults);

// Everything that determines the sequence of generations: a resumed calibration must have the
// same (the stopping rules may change, e.g. to continue with a larger budget).
[[nodiscard]] std::string calibration_fingerprint(const CalibrationSpec& s, const std::string& scenario_toml,
                                                  const std::vector<double>& observed, std::uint64_t seed);

// What the calibration fits, without how ABC-SMC fits it: priors, statistics and their weights,
// observed values, focal group, iskabm version and the scenario (the tail of the fingerprint).
[[nodiscard]] std::string calibration_problem_fingerprint(const CalibrationSpec& s, const std::string& scenario_toml,
                                                          const std::vector<double>& observed);

// History matching a calibration (issue 18). Its implausibility terms: the selected statistics'
// observed values and declared variances (discrepancy sd max(discrepancy_sd, fraction x |observed|),
// the fraction from the statistic's block or else the [history_match] table's).
[[nodiscard]] ImplausibilityTerms implausibility_terms(const LoadedCalibration& c, const HistoryMatchSpec& h);
// What determines a history match's waves: the calibration's problem fingerprint (unbounded
// priors; not the ABC-SMC settings), then the waves' settings (not their number) and declared
// variances.
[[nodiscard]] std::string history_match_fingerprint(const LoadedCalibration& c, const HistoryMatchSpec& h);
// The fingerprint of an ABC-SMC bounded by a history match: the calibration's, then the hash of
// the history match's fingerprint and its number of waves (which together determine the region).
[[nodiscard]] std::string bounded_calibration_fingerprint(const std::string& calibration_fingerprint,
                                                          const std::string& history_match_fingerprint,
                                                          std::size_t waves);

}  // namespace iskabm
