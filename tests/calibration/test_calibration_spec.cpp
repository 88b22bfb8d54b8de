#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>

#include "base/errors.hpp"
#include "calibration/calibration_spec.hpp"
#include "calibration/loaded_calibration.hpp"
#include "io/observed_data.hpp"
#include "statistics/summary_statistics.hpp"
#include "support/data_error.hpp"
#include "support/model_fixture.hpp"

using namespace iskabm;

namespace {
std::vector<std::string> baseline_names() {
  return summary_statistic_names(test::world_from(test::config_from_file(test::baseline_config)));
}
// `load` must throw a DataError at `line` and `key` whose message contains `message`.
template <class Load>
void expect_data_error(Load load, std::size_t line, const std::string& key, const std::string& message) {
  try {
    load();
    FAIL("expected a DataError");
  } catch (const DataError& e) {
    INFO(e.what());
    CHECK(e.line() == line);
    CHECK(e.field() == key);
    CHECK_THAT(e.message(), Catch::Matchers::Contains(message));
  }
}
}  // namespace

TEST_CASE("calibration spec: the default spec loads", "[calibration][spec]") {
  const auto file = test::source_dir / "calibration" / "default.toml";
  CHECK(calibration_scenario(file).filename() == "baseline_2015_2018.toml");
  const auto s = load_calibration_spec(file, baseline_names());
  CHECK(s.parameters[0].spec->key == "attack.base_rate");
  CHECK(s.parameters[0].prior.kind == Prior::Kind::log_uniform);
  CHECK(s.parameters[8].spec->key == "observation.pakistan_effect");
  CHECK(s.parameters[8].prior.kind == Prior::Kind::normal);
  CHECK(s.options.population == 400);
  // Equal-weight sampling (docs/calibration.md, Method): the random walk at Roberts & Rosenthal's scale.
  CHECK(s.options.sampler == AbcSampler::mcmc);
  CHECK(s.options.kernel_scale == 1.0);
  CHECK(s.options.min_acceptance == 0.01);
  // Copies move on until they have forgotten where they started (session 19: coverage 0.870 -> 0.884).
  CHECK(s.options.min_jump == 2.0);
  CHECK(s.options.max_seconds == 45 * 60);
  CHECK_FALSE(s.window_end.has_value());
  CHECK(std::find(s.statistics.begin(), s.statistics.end(), "observed_attacks_Afghanistan_2017") != s.statistics.end());
  CHECK(std::find(s.statistics.begin(), s.statistics.end(), "observed_top5_district_share") != s.statistics.end());
  CHECK(std::find(s.statistics.begin(), s.statistics.end(), "observed_monthly_autocorrelation_Afghanistan") ==
        s.statistics.end());
  CHECK(s.statistics.size() == s.weights.size());
  // yearly counts + ratio + 4 cities, months, provinces, top 5, fatalities, joint, zero months,
  // fighting-season, winter and top-5 shares per year (2014-2018), Ramadan, days between attacks
  // (2) and burstiness, members, F01-F04
  CHECK(s.statistics.size() == 11 + 4 + 12 + 4 + 1 + 2 + 1 + 2 + 5 + 5 + 5 + 1 + 2 + 1 + 1 + 1 + 2 + 1);
  // Issue 18: at least 15 free, the seasonal factors and the operational capability boost among them.
  CHECK(s.parameters.size() == 32);
  for (const char* key : {"season.fighting_season_factor", "season.winter_lull_factor", "season.ramadan_factor",
                          "joint.capability_boost"}) {
    INFO(key);
    CHECK(std::any_of(s.parameters.begin(), s.parameters.end(),
                      [&](const FreeParameter& p) { return p.spec->key == key; }));
  }
  // History matching first, with the discrepancy declared for every statistic it matches.
  REQUIRE(s.history_match.has_value());
  CHECK(s.history_match->options.cutoff == 3);
  CHECK(s.observation_sd.size() == s.statistics.size());
}

TEST_CASE("calibration spec: the hold-out spec ends its window in June 2018", "[calibration][spec]") {
  const auto file = test::source_dir / "calibration" / "holdout_2018h2.toml";
  const auto end = calibration_window_end(file);
  REQUIRE(end.has_value());
  CHECK(to_iso_string(*end) == "2018-06-30");
  const auto s = load_calibration_spec(file, baseline_names());
  REQUIRE(s.window_end.has_value());
  CHECK(std::find(s.statistics.begin(), s.statistics.end(), "focal_killed_Afghanistan") == s.statistics.end());

  // The held-back forecast scores the default calibration's model: same parameters, priors and
  // ABC-SMC settings (only the window and the statistics differ).
  const auto d = load_calibration_spec(test::source_dir / "calibration" / "default.toml", baseline_names());
  REQUIRE(s.parameters.size() == d.parameters.size());
  for (std::size_t i = 0; i < d.parameters.size(); ++i) {
    INFO(d.parameters[i].spec->key);
    CHECK(s.parameters[i].spec == d.parameters[i].spec);
    CHECK(s.parameters[i].prior.kind == d.parameters[i].prior.kind);
    CHECK(s.parameters[i].prior.a == d.parameters[i].prior.a);
    CHECK(s.parameters[i].prior.b == d.parameters[i].prior.b);
    CHECK(s.parameters[i].prior.mean == d.parameters[i].prior.mean);
    CHECK(s.parameters[i].prior.sd == d.parameters[i].prior.sd);
  }
  CHECK(s.options.population == d.options.population);
  CHECK(s.options.tolerance_quantile == d.options.tolerance_quantile);
  CHECK(s.options.max_simulations == d.options.max_simulations);
  CHECK(s.options.max_generations == d.options.max_generations);
  CHECK(s.options.sampler == d.options.sampler);
  CHECK(s.options.moves == d.options.moves);
  CHECK(s.options.min_jump == d.options.min_jump);
  CHECK(s.options.min_acceptance == d.options.min_acceptance);
  CHECK(s.options.kernel == d.options.kernel);
  CHECK(s.options.kernel_scale == d.options.kernel_scale);
  CHECK(s.options.seed == d.options.seed);
  REQUIRE(s.history_match.has_value());
  REQUIRE(d.history_match.has_value());
  CHECK(s.history_match->options.points == d.history_match->options.points);
  CHECK(s.history_match->options.replicates == d.history_match->options.replicates);
  CHECK(s.history_match->options.rank == d.history_match->options.rank);
  CHECK(s.history_match->options.cutoff == d.history_match->options.cutoff);
  CHECK(s.history_match->discrepancy_fraction == d.history_match->discrepancy_fraction);
}

namespace {

// The [smc] options of a one-parameter spec with this [smc] table (empty: none).
AbcOptions smc_options(const std::string& smc) {
  test::TempDir dir;
  std::filesystem::create_directories(dir.path() / "scenarios");
  std::filesystem::copy(test::baseline_config, dir.path() / "scenarios" / "baseline.toml");
  const auto file = dir.path() / "spec.toml";
  std::ofstream(file) << "scenario = \"scenarios/baseline.toml\"\n"
                         "[[parameter]]\nkey = \"attack.base_rate\"\nprior = \"uniform\"\nlower = 0\nupper = 0.1\n"
                         "[[statistic]]\nname = \"observed_attacks_*\"\n"
                      << (smc.empty() ? "" : "[smc]\n" + smc);
  return load_calibration_spec(file, baseline_names()).options;
}

}  // namespace

TEST_CASE("calibration spec: the perturbation kernel is chosen in [smc]", "[calibration][spec]") {
  CHECK(smc_options("").kernel == AbcKernel::global);
  CHECK(smc_options("kernel = \"local\"\n").kernel == AbcKernel::local);
  CHECK(smc_options("kernel = \"local\"\n").kernel_scale == 2.0);
  CHECK(smc_options("kernel = \"component\"\n").kernel == AbcKernel::component);
  CHECK(smc_options("kernel = \"global\"\nkernel_scale = 1.0\n").kernel_scale == 1.0);
}

TEST_CASE("calibration spec: the sampler is chosen in [smc], and mcmc takes no kernel and scales its walk by 1",
          "[calibration][spec]") {
  CHECK(smc_options("").sampler == AbcSampler::importance);
  CHECK(smc_options("sampler = \"importance\"\n").sampler == AbcSampler::importance);
  CHECK(smc_options("sampler = \"importance\"\n").kernel_scale == 2.0);
  const auto mcmc = smc_options("sampler = \"mcmc\"\n");
  CHECK(mcmc.sampler == AbcSampler::mcmc);
  CHECK(mcmc.kernel_scale == 1.0);
  CHECK(mcmc.moves == 1);
  CHECK(smc_options("sampler = \"mcmc\"\nkernel_scale = 0.5\n").kernel_scale == 0.5);
  CHECK(smc_options("sampler = \"mcmc\"\nmoves = 3\n").moves == 3);
  CHECK(mcmc.min_jump == 0.0);
  CHECK(smc_options("sampler = \"mcmc\"\nmin_jump = 2\n").min_jump == 2.0);
}

TEST_CASE("calibration spec: errors name file, line, column and key", "[calibration][spec][errors]") {
  test::TempDir dir;
  const auto names = baseline_names();
  std::filesystem::create_directories(dir.path() / "scenarios");
  std::filesystem::copy(test::baseline_config, dir.path() / "scenarios" / "baseline.toml");
  const auto expect = [&](const std::string& body, std::size_t line, const std::string& key,
                          const std::string& message) {
    const auto file = dir.path() / "spec.toml";
    std::ofstream(file) << "scenario = \"scenarios/baseline.toml\"\n" << body;
    expect_data_error([&] { (void)load_calibration_spec(file, names); }, line, key, message);
  };
  const std::string stat = "[[statistic]]\nname = \"observed_attacks_*\"\n";
  expect("[[parameter]]\nkey = \"attack.base_rat\"\nprior = \"uniform\"\nlower = 0\nupper = 0.1\n" + stat, 3,
         "parameter[0].key", "did you mean 'attack.base_rate'?");
  expect("[[parameter]]\nkey = \"attack.base_rate\"\nprior = \"uniform\"\nlower = 0\nupper = 0.9\n" + stat, 6,
         "parameter[0].upper", "out of range [0, 0.5]");
  expect("[[parameter]]\nkey = \"attack.base_rate\"\nprior = \"log_uniform\"\nlower = 0\nupper = 0.1\n" + stat, 5,
         "parameter[0].lower", "needs lower > 0");
  expect("[[parameter]]\nkey = \"attack.base_rate\"\nprior = \"gamma\"\n" + stat, 4, "parameter[0].prior",
         "unknown value 'gamma'");
  expect(
      "[[parameter]]\nkey = \"attack.base_rate\"\nprior = \"uniform\"\nlower = 0\nupper = 0.1\n"
      "[[statistic]]\nname = \"observed_atacks_Afghanistan_2016\"\n",
      8, "statistic[0].name", "did you mean 'observed_attacks_Afghanistan_2016'?");
  // A normal prior's tails end at the parameter's range ([-10, 10] here): its mean must lie inside
  // it, and most of its mass.
  expect("[[parameter]]\nkey = \"observation.pakistan_effect\"\nprior = \"normal\"\nmean = -12\nsd = 1.5\n" + stat, 5,
         "parameter[0].mean", "-12 lies outside the parameter's range [-10, 10]");
  expect("[[parameter]]\nkey = \"observation.pakistan_effect\"\nprior = \"normal\"\nmean = 0\nsd = 30\n" + stat, 6,
         "parameter[0].sd", "puts only 26 % of the prior inside the parameter's range [-10, 10]");
  expect("[smc]\npopulaton = 3\n", 3, "smc.populaton", "did you mean 'population'?");
  expect("[smc]\nkernel = \"olcm\"\n", 3, "smc.kernel", "\"olcm\" is not a kernel: use \"global\"");
  expect("[smc]\nkernel_scale = 0\n", 3, "smc.kernel_scale", "out of range");
  expect("[smc]\nkernel = \"local\"\nkernel_scale = 1\n", 4, "smc.kernel_scale", "the local kernel has none to scale");
  expect("[smc]\nkernel_scale = 1\nkernel = \"local\"\n", 3, "smc.kernel_scale", "the local kernel has none to scale");
  expect("[smc]\nmoves = 2\n", 3, "smc.moves", "moves belongs to the mcmc sampler");
  expect("[smc]\nsampler = \"mcmc\"\nmoves = 0\n", 4, "smc.moves", "out of range");
  expect("[smc]\nmin_jump = 2\n", 3, "smc.min_jump", "min_jump belongs to the mcmc sampler");
  expect("[smc]\nsampler = \"mcmc\"\nmin_jump = -1\n", 4, "smc.min_jump", "out of range");
  expect("[smc]\nsampler = \"gibbs\"\n", 3, "smc.sampler", "\"gibbs\" is not a sampler: use \"importance\"");
  expect("[smc]\nsampler = \"mcmc\"\nkernel = \"component\"\n", 4, "smc.kernel", "a kernel belongs to the importance sampler");
}

TEST_CASE("calibration spec: [focal] names the focal group and strength year, errors at the key",
          "[calibration][spec]") {
  test::TempDir dir;
  const auto write = [&](const std::string& text) {
    const auto f = dir.path() / "focal.toml";
    std::ofstream(f) << "scenario = \"x.toml\"\n" << text;
    return f;
  };
  const std::vector<std::string> groups{"ISK", "TTP", "LeJ"};
  CHECK(calibration_focal(write(""), groups) == StatisticsOptions{});
  const auto o = calibration_focal(write("[focal]\ngroup = \"TTP\"\nstrength_year = 2016\n"), groups);
  CHECK(o.focal_group == "TTP");
  CHECK(o.strength_year == 2016);
  const auto unknown = test::data_error([&] { (void)calibration_focal(write("[focal]\ngroup = \"TPP\"\n"), groups); });
  CHECK_THAT(unknown, Catch::Contains("focal.toml:3") && Catch::Contains("focal.group") &&
                          Catch::Contains("no group 'TPP' in the scenario (did you mean 'TTP'?)"));
  const auto key = test::data_error([&] { (void)calibration_focal(write("[focal]\nyear = 2016\n"), groups); });
  CHECK_THAT(key, Catch::Contains("focal.toml:3") && Catch::Contains("year"));
}

TEST_CASE("calibration spec: [figures] declares every published figure a target or validation only",
          "[calibration][spec][errors]") {
  test::TempDir dir;
  const auto world = test::world_from(test::config_from_file(test::baseline_config));
  const SummaryStatistics statistics(world);
  const auto names = statistics.names();
  FigureUse use;
  use.known = {"F01", "F06", "F07", "F10"};
  for (const auto& s : statistics.all()) use.used_by.push_back(s.figures);
  std::filesystem::create_directories(dir.path() / "scenarios");
  std::filesystem::copy(test::baseline_config, dir.path() / "scenarios" / "baseline.toml");
  const std::string head =
      "scenario = \"scenarios/baseline.toml\"\n"
      "[[parameter]]\nkey = \"attack.base_rate\"\nprior = \"uniform\"\nlower = 0\nupper = 0.1\n"
      "[[statistic]]\nname = \"observed_attacks_*\"\n";  // lines 1-8
  const auto load = [&](const std::string& tail) {
    const auto file = dir.path() / "spec.toml";
    std::ofstream(file) << head << tail;
    return load_calibration_spec(file, names, &use);
  };
  const auto expect = [&](const std::string& tail, std::size_t line, const std::string& key,
                          const std::string& message) {
    expect_data_error([&] { (void)load(tail); }, line, key, message);
  };
  const std::string members = "[[statistic]]\nname = \"focal_members_mean_2017\"\n";  // uses F06 and F07
  const auto ok = load(members + "[figures]\ntargets = [\"F01\", \"F06\", \"F07\"]\nvalidation = [\"F10\"]\n");
  CHECK(ok.figure_targets == std::vector<std::string>{"F01", "F06", "F07"});
  CHECK(ok.figure_validation == std::vector<std::string>{"F10"});
  // F06 declared validation only while a selected statistic uses it: refused at that statistic.
  expect(members + "[figures]\ntargets = [\"F01\", \"F07\"]\nvalidation = [\"F06\", \"F10\"]\n", 10,
         "statistic[1].name", "uses published figure 'F06', which [figures] declares validation only");
  // The same figure unused (no focal statistic): allowed.
  CHECK_NOTHROW(load("[figures]\ntargets = [\"F01\", \"F07\"]\nvalidation = [\"F06\", \"F10\"]\n"));
  expect("[figures]\ntargets = [\"F01\", \"F06\", \"F07\", \"F11\"]\nvalidation = [\"F10\"]\n", 10, "figures.targets",
         "no published figure 'F11' (did you mean 'F01'?)");
  expect("[figures]\ntargets = [\"F01\", \"F06\", \"F07\"]\nvalidation = [\"F10\", \"F06\"]\n", 11,
         "figures.validation", "figure 'F06' is declared twice");
  expect("[figures]\ntargets = [\"F01\", \"F06\"]\nvalidation = [\"F10\"]\n", 9, "figures",
         "published figure 'F07' is neither in targets nor in validation");
}

TEST_CASE("calibration spec: the shipped specs declare every bundled figure, post-2018 ones validation only",
          "[calibration][spec]") {
  const auto data = load_observed_data(test::source_dir / "data");
  for (const auto* name : {"default.toml", "holdout_2018h2.toml"}) {
    INFO(name);
    const auto cal = load_calibration(test::source_dir / "calibration" / name, data,
                                      test::source_dir / "parameters" / "defaults.toml");
    CHECK(cal.spec.figure_targets.size() + cal.spec.figure_validation.size() == data.figures.figures.size());
    for (const auto* id : {"F10", "F11", "F12", "F13", "F14", "F15", "F20", "F21", "F22", "F24", "F27"})
      CHECK(std::find(cal.spec.figure_validation.begin(), cal.spec.figure_validation.end(), id) !=
            cal.spec.figure_validation.end());
  }
}

TEST_CASE("calibration spec: [history_match] and each statistic's declared uncertainty", "[calibration][spec][errors]") {
  test::TempDir dir;
  const auto names = baseline_names();
  std::filesystem::create_directories(dir.path() / "scenarios");
  std::filesystem::copy(test::baseline_config, dir.path() / "scenarios" / "baseline.toml");
  const std::string head =
      "scenario = \"scenarios/baseline.toml\"\n"
      "[smc]\nseed = 42\n"
      "[[parameter]]\nkey = \"attack.base_rate\"\nprior = \"uniform\"\nlower = 0\nupper = 0.1\n";  // lines 1-8
  const auto file = dir.path() / "spec.toml";
  const auto load = [&](const std::string& tail) {
    std::ofstream(file) << head << tail;
    return load_calibration_spec(file, names);
  };
  // Without the table: no history match; no declared uncertainty (0 sd, the table's fraction).
  const auto plain = load("[[statistic]]\nname = \"observed_attacks_kabul\"\n");
  CHECK_FALSE(plain.history_match.has_value());
  REQUIRE(plain.observation_sd.size() == 1);
  CHECK(plain.observation_sd[0] == 0);
  CHECK(std::isnan(plain.discrepancy_fraction[0]));
  // With it: its settings, the [smc] seed unless it sets one, and per-block uncertainty (a later
  // block overrides an earlier one's statistics, as weights do).
  const auto s = load(
      "[history_match]\nwaves = 4\npoints = 100\nreplicates = 5\ncutoff = 3.5\nimplausibility = \"third\"\n"
      "margin = 0.2\ndiscrepancy_fraction = 0.3\n"
      "[[statistic]]\nname = \"observed_attacks_*\"\ndiscrepancy_sd = 1\n"
      "[[statistic]]\nname = \"observed_attacks_kabul\"\nobservation_sd = 2\ndiscrepancy_fraction = 0.05\n");
  REQUIRE(s.history_match.has_value());
  const auto& o = s.history_match->options;
  CHECK(o.waves == 4);
  CHECK(o.points == 100);
  CHECK(o.replicates == 5);
  CHECK(o.cutoff == 3.5);
  CHECK(o.rank == 3);
  CHECK(o.margin == 0.2);
  CHECK(o.seed == 42);
  CHECK(s.history_match->discrepancy_fraction == 0.3);
  const auto at = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(s.statistics.begin(), s.statistics.end(), name) - s.statistics.begin());
  };
  const auto kabul = at("observed_attacks_kabul"), afg = at("observed_attacks_Afghanistan_2016");
  REQUIRE(kabul < s.statistics.size());
  REQUIRE(afg < s.statistics.size());
  CHECK(s.observation_sd[kabul] == 2);
  CHECK(s.discrepancy_sd[kabul] == 0);
  CHECK(s.discrepancy_fraction[kabul] == 0.05);
  CHECK(s.observation_sd[afg] == 0);
  CHECK(s.discrepancy_sd[afg] == 1);
  CHECK(std::isnan(s.discrepancy_fraction[afg]));
  CHECK(load("[history_match]\nseed = 9\n[[statistic]]\nname = \"observed_attacks_kabul\"\n").history_match->options.seed == 9);

  const std::string stat = "[[statistic]]\nname = \"observed_attacks_kabul\"\n";
  const auto expect = [&](const std::string& tail, std::size_t line, const std::string& key,
                          const std::string& message) {
    expect_data_error([&] { (void)load(tail); }, line, key, message);
  };
  expect("[history_match]\nreplicates = 1\n" + stat, 10, "history_match.replicates", "out of range");
  expect("[history_match]\nimplausibility = \"fourth\"\n" + stat, 10, "history_match.implausibility",
         "unknown value 'fourth'");
  expect("[history_match]\nwave = 3\n" + stat, 10, "history_match.wave", "did you mean 'waves'?");
  expect("[history_match]\ncutoff = 0\n" + stat, 10, "history_match.cutoff", "out of range");
  expect("[[statistic]]\nname = \"observed_attacks_kabul\"\ndiscrepancy_sd = -1\n", 11, "statistic[0].discrepancy_sd",
         "out of range");
  expect("[[statistic]]\nname = \"observed_attacks_kabul\"\ndiscrepency_fraction = 1\n", 11,
         "statistic[0].discrepency_fraction", "did you mean 'discrepancy_fraction'?");
}
