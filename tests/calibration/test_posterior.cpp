// Posterior summaries, prior quantiles, per-replicate posterior draws and the posterior file
// (round trip; generations not marked complete are ignored on reading).
#include <catch2/catch.hpp>
#include <hdf5.h>

#include <cmath>
#include <filesystem>

#include "base/errors.hpp"
#include "calibration/posterior.hpp"
#include "calibration/posterior_file.hpp"
#include "model/random_stream.hpp"
#include "statistics/summary_statistics.hpp"
#include "support/data_copy.hpp"

using namespace iskabm;

TEST_CASE("posterior: weighted quantiles", "[calibration][posterior]") {
  const std::vector<double> x{5, 1, 3, 2, 4};
  const std::vector<double> equal(5, 0.2);
  CHECK(weighted_quantile(x, equal, 0.5) == Approx(3));
  CHECK(weighted_quantile(x, equal, 0.0) == Approx(1));
  CHECK(weighted_quantile(x, equal, 1.0) == Approx(5));
  // All the weight on one value: every quantile is that value.
  const std::vector<double> point{0, 0, 1, 0, 0};
  CHECK(weighted_quantile(x, point, 0.05) == Approx(3));
  CHECK(weighted_quantile(x, point, 0.95) == Approx(3));
  // Weight 3:1 on 0 and 10: the median lies in the heavier value's step.
  CHECK(weighted_quantile({0, 10}, {0.75, 0.25}, 0.3) == Approx(0));
  CHECK(weighted_quantile({0, 10}, {0.75, 0.25}, 0.5) == Approx(10.0 * (0.5 - 0.375) / (0.875 - 0.375)));
  CHECK_THROWS_AS(weighted_quantile({1, 2}, {1}, 0.5), Error);
}

TEST_CASE("posterior: prior quantiles and kernel space", "[calibration][prior]") {
  Prior u{Prior::Kind::uniform, 2, 6, 0, 1};
  CHECK(u.quantile(0.25) == Approx(3));
  Prior lu{Prior::Kind::log_uniform, 0.01, 1, 0, 1};
  CHECK(lu.quantile(0.5) == Approx(0.1));
  CHECK(lu.from_kernel_space(lu.to_kernel_space(0.2)) == Approx(0.2));
  // In log space the log-uniform prior is flat.
  CHECK(lu.log_density_in_kernel_space(std::log(0.02)) == Approx(lu.log_density_in_kernel_space(std::log(0.5))));
  Prior n{Prior::Kind::normal, 0, 0, 1, 2};
  CHECK(n.quantile(0.95) == Approx(1 + 2 * 1.6448536).epsilon(1e-6));
  Prior tn{Prior::Kind::truncated_normal, 0, 10, 0, 1};  // half-normal on [0, 10]
  CHECK(tn.quantile(0.5) == Approx(0.6744898).epsilon(1e-5));
  CHECK(u.to_kernel_space(4) == 4);
}

TEST_CASE("posterior: summaries and identifiability", "[calibration][posterior]") {
  Generation g;
  for (int i = 0; i < 100; ++i) g.theta.push_back({0.4 + 0.002 * i});
  g.weight.assign(100, 0.01);
  const auto s = summarise_population(g, {"a"}, {"1"}, {Prior{Prior::Kind::uniform, 0, 1, 0, 1}});
  REQUIRE(s.size() == 1);
  CHECK(s[0].mean == Approx(0.499));
  CHECK(s[0].median == Approx(0.499));
  CHECK(s[0].prior_q05 == Approx(0.05));
  CHECK(s[0].prior_q95 == Approx(0.95));
  CHECK(s[0].identifiability() == Approx((s[0].q95 - s[0].q05) / 0.9));
  CHECK(s[0].identifiability() < 0.25);
  // A log-uniform prior compares widths on the log scale.
  ParameterSummary l;
  l.log_scale = true;
  l.prior_q05 = 0.001, l.prior_q95 = 0.1, l.q05 = 0.01, l.q95 = 0.1;
  CHECK(l.identifiability() == Approx(0.5));
}

TEST_CASE("posterior: the 90 % interval of n draws holds a further draw from the same distribution 90 % of the time",
          "[calibration][posterior]") {
  // The true parameter of a calibrated posterior is such a further draw (the coverage study's
  // premise). 40 equally weighted draws, as a population of effective size 40 would give.
  constexpr int n = 40, trials = 40000;
  const std::vector<double> w(n, 1.0 / n);
  const auto levels = interval_levels(w);
  CHECK(levels.lower == Approx(0.05 - 0.45 / n));
  CHECK(levels.upper == Approx(0.95 + 0.45 / n));
  int held = 0, held_plain = 0;
  for (int t = 0; t < trials; ++t) {
    RandomStream rng(3, static_cast<std::uint64_t>(t), Purpose::synthetic_truth, 0, 0);
    Generation g;
    for (int i = 0; i < n; ++i) g.theta.push_back({rng.uniform()});
    g.weight = w;
    const double truth = rng.uniform();
    const auto s = summarise_population(g, {"a"}, {"1"}, {Prior{Prior::Kind::uniform, 0, 1, 0, 1}});
    held += truth >= s[0].q05 && truth <= s[0].q95;
    std::vector<double> x;
    for (const auto& th : g.theta) x.push_back(th[0]);
    held_plain += truth >= weighted_quantile(x, w, 0.05) && truth <= weighted_quantile(x, w, 0.95);
  }
  const double coverage = static_cast<double>(held) / trials, plain = static_cast<double>(held_plain) / trials;
  INFO("coverage " << coverage << ", with the plain 0.05 / 0.95 levels " << plain);
  CHECK(coverage == Approx(0.90).margin(0.006));  // standard error 0.0015
  CHECK(plain == Approx(1.0 - (0.1 * n + 1) / (n + 1)).margin(0.006));  // 0.878: what the levels correct
  // Many effective particles: the levels are nearly the plain ones.
  const auto many = interval_levels(std::vector<double>(4000, 1.0));
  CHECK(many.lower == Approx(0.05 - 0.45 / 4000));
  CHECK(interval_levels(std::vector<double>(2, 0.5)).lower == 0.0);
}

TEST_CASE("posterior: replicates draw particles by weight, deterministically", "[calibration][posterior]") {
  const std::vector<double> w{0.1, 0.6, 0.3};
  std::vector<int> count(3, 0);
  for (std::uint64_t r = 0; r < 20000; ++r) ++count[draw_particle(w, 5, r)];
  CHECK(count[0] / 20000.0 == Approx(0.1).margin(0.01));
  CHECK(count[1] / 20000.0 == Approx(0.6).margin(0.015));
  CHECK(count[2] / 20000.0 == Approx(0.3).margin(0.015));
  CHECK(draw_particle(w, 5, 17) == draw_particle(w, 5, 17));
  std::size_t differ = 0;
  for (std::uint64_t r = 0; r < 100; ++r) differ += draw_particle(w, 5, r) != draw_particle(w, 6, r);
  CHECK(differ > 20);  // another seed, other draws
}

namespace {
CalibrationRecord sample_record(std::size_t generations) {
  CalibrationRecord r;
  r.title = "t";
  r.history = "iskabm calibrate t.toml";
  r.spec_toml = "spec";
  r.scenario_toml = "scenario";
  r.fingerprint = "fp";
  r.status = "finished";
  r.stop_reason = "maximum number of generations";
  r.parameter_keys = {"attack.base_rate", "observation.intercept"};
  r.parameter_units = {"1/day", "logit"};
  r.priors = {Prior{Prior::Kind::log_uniform, 0.001, 0.05, 0, 1}, Prior{Prior::Kind::normal, 0, 0, -2, 1}};
  r.statistic_names = {"s1", "s2", "s3"};
  r.observed = {1, 2, std::nan("")};
  r.statistic_weights = {1, 0.5, 1};
  r.seed = 9;
  for (std::size_t g = 0; g < generations; ++g) {
    Generation gen;
    gen.index = g;
    gen.tolerance = 10.0 / static_cast<double>(g + 1);
    for (int i = 0; i < 4; ++i) {
      gen.theta.push_back({0.01 * (i + 1), -2.0 + 0.1 * i + static_cast<double>(g)});
      gen.statistics.push_back({1.0 * i, 2.0, std::nan("")});
      gen.distance.push_back(0.5 * i);
    }
    gen.weight = {0.1, 0.2, 0.3, 0.4};
    gen.scales = {1, 2, 3};
    gen.simulations = 10 + g;
    gen.simulations_total = 10 * (g + 1);
    gen.acceptance_rate = 0.5;
    gen.ess = 3.3;
    gen.median_jump = g == 2 ? 2.25 : 0.0;  // an mcmc generation records it; the others have none
    r.generations.push_back(gen);
  }
  return r;
}
}  // namespace

TEST_CASE("posterior file: round trip, and an incomplete generation is ignored", "[calibration][posterior][output]") {
  test::TempDir dir;
  const auto path = dir.path() / "p.h5";
  const auto r = sample_record(3);
  write_posterior_file(path, r);
  CHECK_FALSE(std::filesystem::exists(dir.path() / "p.h5.tmp"));
  const auto back = read_posterior_file(path);
  CHECK(back.fingerprint == "fp");
  CHECK(back.status == "finished");
  CHECK(back.seed == 9);
  CHECK(back.parameter_keys == r.parameter_keys);
  CHECK(back.priors[0].kind == Prior::Kind::log_uniform);
  CHECK(back.priors[1].sd == 1);
  REQUIRE(back.generations.size() == 3);
  CHECK(back.generations[2].theta == r.generations[2].theta);
  CHECK(back.generations[2].weight == r.generations[2].weight);
  CHECK(std::isnan(back.generations[1].statistics[3][2]));
  CHECK(back.generations[1].tolerance == r.generations[1].tolerance);
  CHECK(back.generations[2].simulations_total == 30);
  CHECK(back.generations[2].median_jump == 2.25);
  CHECK(back.generations[1].median_jump == 0.0);
  const auto draw = read_posterior_draw(path);
  CHECK(draw.parameters[0]->key == "attack.base_rate");
  CHECK(draw.theta == r.generations[2].theta);

  // Remove the last generation's `complete` mark (as if the writer had died before it): the
  // reader stops before that generation.
  {
    const auto f = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    REQUIRE(f >= 0);
    const auto g = H5Gopen2(f, "generations/gen_002", H5P_DEFAULT);
    REQUIRE(H5Adelete(g, "complete") >= 0);
    H5Gclose(g);
    H5Fclose(f);
  }
  CHECK(read_posterior_file(path).generations.size() == 2);
}

TEST_CASE("posterior file: a file that is not a posterior is refused", "[calibration][posterior][errors]") {
  test::TempDir dir;
  CHECK_THROWS_AS(read_posterior_file(dir.path() / "missing.h5"), IoError);
  const auto text = dir.path() / "x.h5";
  std::ofstream(text) << "not hdf5";
  CHECK_THROWS_AS(read_posterior_file(text), IoError);
  const auto empty = dir.path() / "empty.h5";
  write_posterior_file(empty, sample_record(0));
  CHECK(read_posterior_file(empty).generations.empty());
  CHECK_THROWS_WITH(read_posterior_draw(empty), Catch::Contains("no complete generation"));
}
