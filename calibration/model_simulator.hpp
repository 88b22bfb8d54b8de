#pragma once
// The bridge between ABC-SMC and the model: a parameter vector in, the selected summary
// statistics of one replicate out. Proposal p of generation g runs replicate (g << 32) | p of
// the scenario with the calibration's seed, so every proposal has its own random streams and the
// result does not depend on which thread runs it.
#include <cstdint>
#include <vector>

#include "calibration/calibration_spec.hpp"
#include "model/geography.hpp"
#include "model/model_config.hpp"
#include "statistics/summary_statistics.hpp"

namespace iskabm {

// The positions of `selected` statistic names in `all` (the names a scenario's runs produce); a
// name the scenario does not produce is an Error naming `who`.
[[nodiscard]] std::vector<std::size_t> statistic_positions(const std::vector<std::string>& all,
                                                           const std::vector<std::string>& selected, const char* who);

class ModelSimulator {
 public:
  ModelSimulator(const Geography& geo, ModelConfig scenario, std::vector<FreeParameter> parameters,
                 const std::vector<std::string>& all_statistics, const std::vector<std::string>& selected,
                 std::uint64_t seed, StatisticsOptions statistics = {});

  [[nodiscard]] std::vector<double> operator()(const std::vector<double>& theta, std::uint64_t generation,
                                               std::uint64_t proposal) const;
  // The scenario's parameters with theta applied (also for posterior-driven runs).
  [[nodiscard]] Parameters parameters_for(const std::vector<double>& theta) const;

 private:
  const Geography* geo_;
  ModelConfig scenario_;
  std::vector<FreeParameter> parameters_;
  std::vector<std::size_t> selected_;  // indices into the full statistic list
  std::uint64_t seed_;
  StatisticsOptions statistics_;
};

}  // namespace iskabm
