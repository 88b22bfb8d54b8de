#include "calibration/loaded_calibration.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "base/errors.hpp"
#include "base/hash.hpp"
#include "config/scenario_loader.hpp"
#include "iskabm/build_info.hpp"
#include "model/calendar.hpp"
#include "model/world.hpp"
#include "statistics/summary_statistics.hpp"

namespace iskabm {

LoadedCalibration load_calibration(const std::filesystem::path& spec_path, const ObservedData& data,
                                   const std::filesystem::path& defaults) {
  LoadedCalibration c;
  c.config = load_model_config(calibration_scenario(spec_path), data.geography, defaults);
  if (const auto end = calibration_window_end(spec_path)) {
    const auto day = to_day_number(*end);
    if (day <= c.config.start || day > c.config.end)
      throw DataError(spec_path.string(), 0, 0, "window_end",
                      fmt::format("{} is outside the scenario's window", to_iso_string(*end)));
    c.config.end = day;  // the statistics (and their names) cover the scenario up to window_end
  }
  // What a calibration does not use (it runs one replicate per proposal, with the priors' values)
  // must not change its fingerprint.
  c.config.replicates = 1;
  c.config.posterior.clear();
  c.scenario_toml = resolved_toml(c.config, data.geography);
  const auto world = make_world(data.geography, c.config);
  std::vector<std::string> group_ids;
  for (const auto& g : c.config.groups) group_ids.push_back(g.id);
  auto focal = calibration_focal(spec_path, group_ids);
  if (!group_ids.empty() && focal.focal_group == group_ids.front())
    focal.focal_group.clear();  // the default, spelt out
  const SummaryStatistics statistics(world, focal);
  c.names = statistics.names();
  FigureUse figures;
  for (const auto& f : data.figures.figures) figures.known.push_back(f.id);
  for (const auto& st : statistics.all()) figures.used_by.push_back(st.figures);
  c.spec = load_calibration_spec(spec_path, c.names, &figures);
  c.spec.focal = focal;
  const auto all_observed = statistics.observed(data);
  for (const auto& n : c.spec.statistics)
    c.observed.push_back(
        all_observed[static_cast<std::size_t>(std::find(c.names.begin(), c.names.end(), n) - c.names.begin())]);
  // A statistic with nothing observed (a year before the record's first attack, a figure for
  // another focal group) cannot inform the fit: it leaves, with its weight and declared variances.
  for (std::size_t j = c.spec.statistics.size(); j-- > 0;) {
    if (std::isfinite(c.observed[j])) continue;
    const auto at = static_cast<std::ptrdiff_t>(j);
    for (auto* v : {&c.spec.weights, &c.spec.observation_sd, &c.spec.discrepancy_sd, &c.spec.discrepancy_fraction})
      v->erase(v->begin() + at);
    c.spec.statistics.erase(c.spec.statistics.begin() + at);
    c.observed.erase(c.observed.begin() + at);
  }
  if (c.spec.statistics.empty())
    throw DataError(spec_path.string(), 0, 0, "statistic", "no selected statistic has an observed value");
  for (const auto& p : c.spec.parameters) {
    c.keys.emplace_back(p.spec->key);
    c.units.emplace_back(p.spec->unit);
    c.priors.push_back(p.prior);
  }
  return c;
}

std::string calibration_fingerprint(const CalibrationSpec& s, const std::string& scenario_toml,
                                    const std::vector<double>& observed, std::uint64_t seed) {
  std::string f = fmt::format("seed {}\npopulation {}\ntolerance_quantile {}\nbatch {}\nrejection {}\n", seed,
                              s.options.population, s.options.tolerance_quantile, s.options.batch, s.options.rejection);
  if (!s.options.rejection && s.options.sampler == AbcSampler::mcmc) {
    f += s.options.moves == 1 ? std::string("sampler mcmc\n") : fmt::format("sampler mcmc\nmoves {}\n", s.options.moves);
    if (s.options.min_jump > 0) f += fmt::format("min_jump {}\n", s.options.min_jump);
  }
  if (!s.options.rejection && s.options.sampler == AbcSampler::importance)
    f += fmt::format("kernel {}\n", to_string(s.options.kernel));
  if (!s.options.rejection && s.options.kernel != AbcKernel::local && s.options.kernel_scale != 2.0)
    f += fmt::format("kernel_scale {}\n", s.options.kernel_scale);
  if (s.options.rejection) f += fmt::format("final_tolerance {}\n", s.options.final_tolerance);
  return f + calibration_problem_fingerprint(s, scenario_toml, observed);
}

std::string calibration_problem_fingerprint(const CalibrationSpec& s, const std::string& scenario_toml,
                                            const std::vector<double>& observed) {
  std::string f;
  for (const auto& p : s.parameters) f += fmt::format("parameter {} {}\n", p.spec->key, p.prior.describe());
  for (std::size_t j = 0; j < s.statistics.size(); ++j)
    f += fmt::format("statistic {} weight {} observed {}\n", s.statistics[j], s.weights[j], observed[j]);
  if (!s.focal.focal_group.empty()) f += fmt::format("focal_group {}\n", s.focal.focal_group);
  f += fmt::format("iskabm {}\n", build_info::version);
  return f + scenario_toml;
}

ImplausibilityTerms implausibility_terms(const LoadedCalibration& c, const HistoryMatchSpec& h) {
  ImplausibilityTerms t;
  const auto& s = c.spec;
  for (std::size_t j = 0; j < s.statistics.size(); ++j) {
    const double z = c.observed[j];
    const double fraction = std::isnan(s.discrepancy_fraction[j]) ? h.discrepancy_fraction : s.discrepancy_fraction[j];
    const double md = std::max(s.discrepancy_sd[j], std::isfinite(z) ? fraction * std::abs(z) : 0.0);
    t.observed.push_back(z);
    t.observation_variance.push_back(s.observation_sd[j] * s.observation_sd[j]);
    t.discrepancy_variance.push_back(md * md);
  }
  return t;
}

std::string history_match_fingerprint(const LoadedCalibration& c, const HistoryMatchSpec& h) {
  const auto& o = h.options;
  auto f = calibration_problem_fingerprint(c.spec, c.scenario_toml, c.observed);
  // Not the number of waves: like ABC-SMC's generations, a wave depends only on those before it, so
  // a history match with more waves continues one with fewer.
  f += fmt::format("history_match points {} replicates {} cutoff {} implausibility {} margin {} seed {}\n", o.points,
                   o.replicates, o.cutoff, implausibility_rank_name(o.rank), o.margin, o.seed);
  const auto t = implausibility_terms(c, h);
  for (std::size_t j = 0; j < t.observed.size(); ++j)
    f += fmt::format("implausibility {} observation_variance {} discrepancy_variance {}\n", c.spec.statistics[j],
                     t.observation_variance[j], t.discrepancy_variance[j]);
  return f;
}

std::string bounded_calibration_fingerprint(const std::string& calibration_fingerprint,
                                            const std::string& history_match_fingerprint, std::size_t waves) {
  return calibration_fingerprint +
         fmt::format("bounded by history match {:016x} after {} wave(s)\n", fnv1a(history_match_fingerprint), waves);
}

}  // namespace iskabm
