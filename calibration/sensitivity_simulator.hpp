#pragma once
// The model as a sensitivity study sees it (issue 18): a parameter vector in; out, the
// calibration statistics of one replicate of the spec's scenario and, for each what-if scenario,
// the paired what-if minus baseline differences of the answers a what-if is asked for. Both runs
// of a pair use the same seed and replicate (common random numbers), as `iskabm compare` pairs
// them.
#include <cstdint>
#include <string>
#include <vector>

#include "calibration/calibration_spec.hpp"
#include "model/geography.hpp"
#include "model/model_config.hpp"
#include "model/recorder.hpp"
#include "model/world.hpp"
#include "statistics/summary_statistics.hpp"

namespace iskabm {

// The answers of a what-if, per replicate: all attacks (true), reported attacks, fatalities, and
// the focal group's mean month-end strength over the scenario's last 12 months.
[[nodiscard]] std::vector<std::string> what_if_answer_names(const std::string& label);
[[nodiscard]] std::vector<double> what_if_answers(const Recorder& r, GroupIndex focal);

struct WhatIf {
  std::string label;  // file stem: names its outputs "<label>:attacks" ...
  ModelConfig config;
};

class SensitivitySimulator {
 public:
  SensitivitySimulator(const Geography& geo, ModelConfig scenario, std::vector<WhatIf> what_ifs,
                       std::vector<FreeParameter> factors, const std::vector<std::string>& all_statistics,
                       const std::vector<std::string>& selected, std::uint64_t seed, StatisticsOptions statistics = {});

  // The output names: the selected statistics, then each what-if's answer differences.
  [[nodiscard]] const std::vector<std::string>& output_names() const noexcept { return names_; }
  [[nodiscard]] std::vector<double> operator()(const std::vector<double>& theta, std::uint64_t generation,
                                               std::uint64_t proposal) const;

 private:
  [[nodiscard]] Recorder run(const ModelConfig& scenario, const std::vector<double>& theta, std::uint64_t replicate,
                             World* world) const;
  const Geography* geo_;
  ModelConfig scenario_;
  std::vector<WhatIf> what_ifs_;
  std::vector<FreeParameter> factors_;
  std::vector<std::size_t> selected_;
  std::vector<std::string> names_;
  std::uint64_t seed_;
  StatisticsOptions statistics_;
};

// The range a parameter outside the spec varies over in a study of "every parameter that has a
// range" (assumption, docs/sensitivity.md): a factor of 2 either side of its default, log-uniform
// for a positive default (uniform for a negative one), clipped to the loader's plausible range; a
// default of 0 varies uniformly over the lowest tenth of the range.
[[nodiscard]] Prior default_range_prior(const ParameterSpec& spec, double default_value);

}  // namespace iskabm
