#include "calibration/sensitivity_simulator.hpp"

#include <algorithm>
#include <cmath>

#include "base/errors.hpp"
#include "calibration/model_simulator.hpp"
#include "model/simulation.hpp"

namespace iskabm {

std::vector<std::string> what_if_answer_names(const std::string& label) {
  return {label + ":attacks", label + ":attacks_observed", label + ":fatalities", label + ":focal_members_last_year"};
}

std::vector<double> what_if_answers(const Recorder& r, GroupIndex focal) {
  double attacks = 0, observed = 0, fatalities = 0;
  for (const auto& e : r.events) attacks += 1, observed += e.observed, fatalities += e.fatalities;
  const auto first = r.months > 12 ? r.months - 12 : 0;
  double members = 0;
  for (std::size_t m = first; m < r.months; ++m)
    for (auto c : {Country::afghanistan, Country::pakistan})
      members += static_cast<double>(r.group_metric(m, focal, c, GroupMetric::members));
  return {attacks, observed, fatalities, r.months > first ? members / static_cast<double>(r.months - first) : 0.0};
}

SensitivitySimulator::SensitivitySimulator(const Geography& geo, ModelConfig scenario, std::vector<WhatIf> what_ifs,
                                           std::vector<FreeParameter> factors, const std::vector<std::string>& all,
                                           const std::vector<std::string>& selected, std::uint64_t seed,
                                           StatisticsOptions statistics)
    : geo_(&geo),
      scenario_(std::move(scenario)),
      what_ifs_(std::move(what_ifs)),
      factors_(std::move(factors)),
      selected_(statistic_positions(all, selected, "sensitivity")),
      names_(selected),
      seed_(seed),
      statistics_(std::move(statistics)) {
  for (const auto& w : what_ifs_)
    for (auto& n : what_if_answer_names(w.label)) names_.push_back(std::move(n));
}

Recorder SensitivitySimulator::run(const ModelConfig& scenario, const std::vector<double>& theta,
                                   std::uint64_t replicate, World* world_out) const {
  ModelConfig c = scenario;
  for (std::size_t k = 0; k < factors_.size(); ++k) c.parameters.*(factors_[k].spec->field) = theta[k];
  c.output.events = true;
  auto w = make_world(*geo_, std::move(c));
  auto r = run_replicate(w, seed_, replicate);
  if (world_out) *world_out = std::move(w);
  return r;
}

std::vector<double> SensitivitySimulator::operator()(const std::vector<double>& theta, std::uint64_t generation,
                                                     std::uint64_t proposal) const {
  const auto replicate = (generation << 32) | proposal;
  World w;
  const auto base = run(scenario_, theta, replicate, &w);
  const SummaryStatistics statistics(w, statistics_);
  const auto all = statistics.simulated(base);
  std::vector<double> out;
  out.reserve(names_.size());
  for (auto i : selected_) out.push_back(all[i]);
  if (what_ifs_.empty()) return out;
  const auto focal = statistics.focal_group();
  const auto base_answers = what_if_answers(base, focal);
  for (const auto& what_if : what_ifs_) {
    const auto answers = what_if_answers(run(what_if.config, theta, replicate, nullptr), focal);
    for (std::size_t i = 0; i < answers.size(); ++i) out.push_back(answers[i] - base_answers[i]);
  }
  return out;
}

Prior default_range_prior(const ParameterSpec& spec, double v) {
  Prior p;
  if (v > 0) {
    p.kind = Prior::Kind::log_uniform;
    p.a = std::max(spec.min, v / 2);
    p.b = std::min(spec.max, v * 2);
    if (!(p.a > 0)) p.a = v / 2;  // a range starting at 0 cannot bound a log scale
  } else if (v < 0) {
    p.kind = Prior::Kind::uniform;
    p.a = std::max(spec.min, 2 * v);
    p.b = std::min(spec.max, v / 2);
  } else {
    p.kind = Prior::Kind::uniform;
    p.a = spec.min;
    p.b = spec.min + 0.1 * (spec.max - spec.min);
  }
  if (!(p.b > p.a))
    throw Error(std::string("sensitivity: parameter '") + std::string(spec.key) +
                "' has no range around its default to vary over");
  return p;
}

}  // namespace iskabm
