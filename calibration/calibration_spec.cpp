#include "calibration/calibration_spec.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string_view>
#include <utility>

#include "base/errors.hpp"
#include "config/config_table.hpp"

namespace iskabm {

namespace {

// The value of `key`, one of the names in `choices`; any other fails with the names and their meanings.
template <typename E>
E choice(const ConfigTable& t, std::string_view key, std::string_view what,
         std::initializer_list<std::pair<std::string_view, E>> choices, std::string_view meanings) {
  const auto value = t.string(key);
  for (const auto& [name, e] : choices)
    if (value == name) return e;
  t.fail(key, fmt::format("\"{}\" is not a {}: use {}", value, what, meanings));
}

Prior read_prior(const ConfigTable& t, const ParameterSpec& spec) {
  Prior p;
  p.valid_lower = spec.min;  // a normal prior's tails end at the parameter's range
  p.valid_upper = spec.max;
  const auto kind = t.string_of("prior", {"uniform", "log_uniform", "normal", "truncated_normal"});
  if (kind == "uniform")
    p.kind = Prior::Kind::uniform;
  else if (kind == "log_uniform")
    p.kind = Prior::Kind::log_uniform;
  else if (kind == "normal")
    p.kind = Prior::Kind::normal;
  else
    p.kind = Prior::Kind::truncated_normal;
  const bool bounded = p.kind != Prior::Kind::normal;
  if (bounded) {
    p.a = t.number_in("lower", spec.min, spec.max);
    p.b = t.number_in("upper", spec.min, spec.max);
    if (!(p.b > p.a)) t.fail("upper", fmt::format("must be above lower ({})", p.a));
    if (p.kind == Prior::Kind::log_uniform && !(p.a > 0)) t.fail("lower", "a log-uniform prior needs lower > 0");
  }
  if (p.kind == Prior::Kind::normal || p.kind == Prior::Kind::truncated_normal) {
    p.mean = t.number("mean");
    p.sd = t.number_in("sd", 1e-12, 1e12);
    if (p.kind == Prior::Kind::truncated_normal && (p.mean < p.a - 5 * p.sd || p.mean > p.b + 5 * p.sd))
      t.fail("mean", "puts almost no mass inside [lower, upper]");
    if (p.kind == Prior::Kind::normal) {
      // The tails end at the parameter's range (draws outside are drawn again, densities there are
      // 0): a mean outside it, or a spread that leaves most of the mass outside, is a typo.
      if (p.mean < spec.min || p.mean > spec.max)
        t.fail("mean", fmt::format("{} lies outside the parameter's range [{}, {}]", p.mean, spec.min, spec.max));
      const double inside = 0.5 * (std::erfc((p.mean - spec.max) / (p.sd * std::sqrt(2.0))) -
                                   std::erfc((p.mean - spec.min) / (p.sd * std::sqrt(2.0))));
      if (inside < 0.5)
        t.fail("sd", fmt::format("puts only {:.0f} % of the prior inside the parameter's range [{}, {}]: narrow it, or "
                                 "use a uniform prior",
                                 100 * inside, spec.min, spec.max));
    }
  }
  return p;
}

}  // namespace

std::filesystem::path calibration_scenario(const std::filesystem::path& file) {
  const auto doc = ConfigDocument::parse_file(file);
  return file.parent_path() / doc->root().string("scenario");
}

std::optional<CivilDate> calibration_window_end(const std::filesystem::path& file) {
  const auto doc = ConfigDocument::parse_file(file);
  if (!doc->root().has("window_end")) return std::nullopt;
  return doc->root().date("window_end");
}

std::vector<std::string> calibration_validation_figures(const std::filesystem::path& file) {
  const auto doc = ConfigDocument::parse_file(file);
  if (!doc->root().has("figures")) return {};
  const auto t = doc->root().table("figures");
  return t.has("validation") ? t.strings("validation") : std::vector<std::string>{};
}

StatisticsOptions calibration_focal(const std::filesystem::path& file, const std::vector<std::string>& group_ids) {
  const auto doc = ConfigDocument::parse_file(file);
  StatisticsOptions o;
  if (!doc->root().has("focal")) return o;
  const auto t = doc->root().table("focal");
  t.reject_unknown_keys({"group", "strength_year"});
  if (t.has("group")) {
    o.focal_group = t.string("group");
    if (std::find(group_ids.begin(), group_ids.end(), o.focal_group) == group_ids.end()) {
      const auto hint = closest_match(o.focal_group, group_ids);
      t.fail("group", fmt::format("no group '{}' in the scenario{}", o.focal_group,
                                  hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
    }
  }
  if (t.has("strength_year")) o.strength_year = static_cast<int>(t.integer_in("strength_year", 1900, 2100));
  return o;
}

CalibrationSpec load_calibration_spec(const std::filesystem::path& file, const std::vector<std::string>& names,
                                      const FigureUse* figures) {
  const auto doc = ConfigDocument::parse_file(file);
  const auto root = doc->root();
  root.reject_unknown_keys(
      {"title", "description", "scenario", "window_end", "focal", "smc", "history_match", "parameter", "statistic",
       "figures"});
  CalibrationSpec s;
  s.source = file.string();
  s.title = root.has("title") ? root.string("title") : file.stem().string();
  if (root.has("description")) (void)root.string("description");
  s.scenario = file.parent_path() / root.string("scenario");
  std::error_code ec;
  if (!std::filesystem::exists(s.scenario, ec))
    root.fail("scenario", fmt::format("not found: {}", s.scenario.string()));

  if (root.has("window_end")) s.window_end = root.date("window_end");

  if (root.has("smc")) {
    const auto t = root.table("smc");
    t.reject_unknown_keys({"population", "tolerance_quantile", "final_tolerance", "min_acceptance", "max_simulations",
                           "max_minutes", "max_generations", "seed", "batch", "sampler", "moves", "min_jump", "kernel",
                           "kernel_scale", "rejection"});
    auto& o = s.options;
    if (t.has("population")) o.population = static_cast<std::size_t>(t.integer_in("population", 2, 10'000'000));
    if (t.has("tolerance_quantile")) o.tolerance_quantile = t.number_in("tolerance_quantile", 0.01, 0.99);
    if (t.has("final_tolerance")) o.final_tolerance = t.number_in("final_tolerance", 0, 1e12);
    if (t.has("min_acceptance")) o.min_acceptance = t.number_in("min_acceptance", 0, 1);
    if (t.has("max_simulations"))
      o.max_simulations = static_cast<std::uint64_t>(t.integer_in("max_simulations", 1, INT64_MAX));
    if (t.has("max_minutes")) o.max_seconds = 60 * t.number_in("max_minutes", 0, 1e7);
    if (t.has("max_generations"))
      o.max_generations = static_cast<std::size_t>(t.integer_in("max_generations", 1, 10000));
    if (t.has("seed")) o.seed = t.unsigned_integer("seed");
    if (t.has("batch")) o.batch = static_cast<std::size_t>(t.integer_in("batch", 1, 1'000'000));
    if (t.has("sampler"))
      o.sampler = choice<AbcSampler>(t, "sampler", "sampler",
                                     {{"importance", AbcSampler::importance}, {"mcmc", AbcSampler::mcmc}},
                                     "\"importance\" (perturbation kernel and importance weights, the default) or "
                                     "\"mcmc\" (survivors resampled and moved by Metropolis steps, equal weights)");
    if (t.has("moves")) {
      if (o.sampler != AbcSampler::mcmc)
        t.fail("moves", "moves belongs to the mcmc sampler (sampler = \"mcmc\"); the importance sampler has none");
      o.moves = static_cast<std::size_t>(t.integer_in("moves", 1, 100));
    }
    if (t.has("min_jump")) {
      if (o.sampler != AbcSampler::mcmc)
        t.fail("min_jump", "min_jump belongs to the mcmc sampler (sampler = \"mcmc\"); the importance sampler moves no copies");
      o.min_jump = t.number_in("min_jump", 0, 10);
    }
    if (t.has("kernel") && o.sampler == AbcSampler::mcmc)
      t.fail("kernel", "the mcmc sampler moves particles by a random walk with the survivors' covariance; a kernel "
                       "belongs to the importance sampler (remove it, or use sampler = \"importance\")");
    if (t.has("kernel"))
      o.kernel = choice<AbcKernel>(
          t, "kernel", "kernel",
          {{"local", AbcKernel::local}, {"global", AbcKernel::global}, {"component", AbcKernel::component}},
          "\"global\" (a multiple of the population covariance, the default), \"local\" (the optimal local "
          "covariance) or \"component\" (one truncated normal per parameter)");
    if (t.has("kernel_scale")) {
      if (o.kernel == AbcKernel::local)
        t.fail("kernel_scale",
               "scales the global or component kernel's covariance; the local kernel has none to scale (remove it, or "
               "use kernel = \"global\")");
      o.kernel_scale = t.number_in("kernel_scale", 0.01, 100);
    }
    if (o.sampler == AbcSampler::mcmc && !t.has("kernel_scale")) o.kernel_scale = 1.0;  // x 2.38^2 / k
    if (t.has("rejection")) o.rejection = t.boolean("rejection");
  }

  if (root.has("history_match")) {
    const auto t = root.table("history_match");
    t.reject_unknown_keys(
        {"waves", "points", "replicates", "cutoff", "implausibility", "margin", "discrepancy_fraction", "seed", "note"});
    if (t.has("note")) (void)t.string("note");
    HistoryMatchSpec h;
    auto& o = h.options;
    o.seed = s.options.seed;
    if (t.has("waves")) o.waves = static_cast<std::size_t>(t.integer_in("waves", 1, 100));
    if (t.has("points")) o.points = static_cast<std::size_t>(t.integer_in("points", 1, 10'000'000));
    if (t.has("replicates")) o.replicates = static_cast<std::size_t>(t.integer_in("replicates", 2, 10'000));
    if (t.has("cutoff")) o.cutoff = t.number_in("cutoff", 0.5, 100);
    if (t.has("implausibility")) {
      // "max", "second", "third", or the rank as a number (5: the fifth largest decides).
      if (t.is_integer("implausibility"))
        o.rank = static_cast<std::size_t>(t.integer_in("implausibility", 1, 1000));
      else
        o.rank = implausibility_rank_of(t.string_of("implausibility", {"max", "second", "third"}));
    }
    if (t.has("margin")) o.margin = t.number_in("margin", 0, 1);
    if (t.has("discrepancy_fraction")) h.discrepancy_fraction = t.number_in("discrepancy_fraction", 0, 100);
    if (t.has("seed")) o.seed = t.unsigned_integer("seed");
    s.history_match = h;
  }

  std::vector<std::string> keys;
  for (const auto& p : parameter_specs()) keys.emplace_back(p.key);
  for (const auto& t : root.tables("parameter")) {
    t.reject_unknown_keys({"key", "prior", "lower", "upper", "mean", "sd", "note"});
    if (t.has("note")) (void)t.string("note");
    const auto key = t.string("key");
    const auto* spec = find_parameter(key);
    if (!spec) {
      const auto hint = closest_match(key, keys);
      t.fail("key", fmt::format("unknown parameter '{}'{}", key,
                                hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
    }
    for (const auto& other : s.parameters)
      if (other.spec == spec) t.fail("key", fmt::format("parameter '{}' is listed twice", key));
    s.parameters.push_back({spec, read_prior(t, *spec)});
  }
  if (s.parameters.empty()) root.fail_here("at least one [[parameter]] is required");

  // [figures]: targets and validation-only figures, each known id exactly once.
  std::optional<ConfigTable> figures_table;
  if (root.has("figures")) {
    figures_table = root.table("figures");
    const auto& t = *figures_table;
    t.reject_unknown_keys({"targets", "validation", "note"});
    if (t.has("note")) (void)t.string("note");
    s.figure_targets = t.strings("targets");
    s.figure_validation = t.strings("validation");
    if (figures) {
      std::vector<std::string> seen;
      for (const auto* key : {"targets", "validation"})
        for (const auto& id : t.strings(key)) {
          if (std::find(figures->known.begin(), figures->known.end(), id) == figures->known.end()) {
            const auto hint = closest_match(id, figures->known);
            t.fail(key, fmt::format("no published figure '{}'{}", id,
                                    hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
          }
          if (std::find(seen.begin(), seen.end(), id) != seen.end())
            t.fail(key, fmt::format("figure '{}' is declared twice (a figure is a target or validation only)", id));
          seen.push_back(id);
        }
      for (const auto& id : figures->known)
        if (std::find(seen.begin(), seen.end(), id) == seen.end())
          t.fail_here(fmt::format("published figure '{}' is neither in targets nor in validation", id));
    }
  }

  // Statistics: names, or prefixes ending in '*'; in the order the runs produce them.
  std::vector<double> weight(names.size(), 0.0);
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> observation_sd(names.size(), 0.0), discrepancy_sd(names.size(), 0.0),
      discrepancy_fraction(names.size(), nan);
  const auto tables = root.tables("statistic");
  if (tables.empty()) root.fail_here("at least one [[statistic]] is required");
  for (const auto& t : tables) {
    t.reject_unknown_keys({"name", "weight", "observation_sd", "discrepancy_sd", "discrepancy_fraction", "note"});
    if (t.has("note")) (void)t.string("note");
    const auto name = t.string("name");
    const double w = t.has("weight") ? t.number_in("weight", 0, 1e6) : 1.0;
    const double obs_sd = t.has("observation_sd") ? t.number_in("observation_sd", 0, 1e12) : 0.0;
    const double md_sd = t.has("discrepancy_sd") ? t.number_in("discrepancy_sd", 0, 1e12) : 0.0;
    const double md_fraction = t.has("discrepancy_fraction") ? t.number_in("discrepancy_fraction", 0, 100) : nan;
    std::size_t matched = 0;
    for (std::size_t i = 0; i < names.size(); ++i) {
      const bool hit = !name.empty() && name.back() == '*' ? names[i].starts_with(name.substr(0, name.size() - 1))
                                                           : names[i] == name;
      if (hit)
        weight[i] = w, observation_sd[i] = obs_sd, discrepancy_sd[i] = md_sd, discrepancy_fraction[i] = md_fraction,
        ++matched;
      if (hit && w > 0 && figures_table && figures && i < figures->used_by.size())
        for (const auto& id : figures->used_by[i])
          if (std::find(s.figure_validation.begin(), s.figure_validation.end(), id) != s.figure_validation.end())
            t.fail("name", fmt::format("statistic '{}' uses published figure '{}', which [figures] declares "
                                       "validation only: validation figures never enter the calibration",
                                       names[i], id));
    }
    if (matched == 0) {
      const auto hint = closest_match(name, names);
      t.fail("name", fmt::format("no summary statistic '{}'{}", name,
                                 hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
    }
  }
  for (std::size_t i = 0; i < names.size(); ++i)
    if (weight[i] > 0) {
      s.statistics.push_back(names[i]), s.weights.push_back(weight[i]);
      s.observation_sd.push_back(observation_sd[i]), s.discrepancy_sd.push_back(discrepancy_sd[i]);
      s.discrepancy_fraction.push_back(discrepancy_fraction[i]);
    }
  return s;
}

}  // namespace iskabm
