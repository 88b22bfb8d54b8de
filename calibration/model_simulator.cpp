#include "calibration/model_simulator.hpp"

#include <algorithm>

#include "base/errors.hpp"
#include "model/simulation.hpp"
#include "model/world.hpp"
#include "statistics/summary_statistics.hpp"

namespace iskabm {

ModelSimulator::ModelSimulator(const Geography& geo, ModelConfig scenario, std::vector<FreeParameter> parameters,
                               const std::vector<std::string>& all, const std::vector<std::string>& selected,
                               std::uint64_t seed, StatisticsOptions statistics)
    : geo_(&geo),
      scenario_(std::move(scenario)),
      parameters_(std::move(parameters)),
      selected_(statistic_positions(all, selected, "calibration")),
      seed_(seed),
      statistics_(std::move(statistics)) {}

std::vector<std::size_t> statistic_positions(const std::vector<std::string>& all,
                                             const std::vector<std::string>& selected, const char* who) {
  std::vector<std::size_t> positions;
  for (const auto& name : selected) {
    const auto it = std::find(all.begin(), all.end(), name);
    if (it == all.end()) throw Error(std::string(who) + ": statistic '" + name + "' is not produced by the scenario");
    positions.push_back(static_cast<std::size_t>(it - all.begin()));
  }
  return positions;
}

Parameters ModelSimulator::parameters_for(const std::vector<double>& theta) const {
  Parameters p = scenario_.parameters;
  for (std::size_t k = 0; k < parameters_.size(); ++k) p.*(parameters_[k].spec->field) = theta[k];
  return p;
}

std::vector<double> ModelSimulator::operator()(const std::vector<double>& theta, std::uint64_t generation,
                                               std::uint64_t proposal) const {
  ModelConfig c = scenario_;
  c.parameters = parameters_for(theta);
  c.output.events = true;  // statistics need the events; nothing is written
  const auto w = make_world(*geo_, std::move(c));
  const auto r = run_replicate(w, seed_, (generation << 32) | proposal);
  const auto all = SummaryStatistics(w, statistics_).simulated(r);
  std::vector<double> out;
  out.reserve(selected_.size());
  for (auto i : selected_) out.push_back(all[i]);
  return out;
}

}  // namespace iskabm
