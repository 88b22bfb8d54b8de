// History matching (calibration/history_matching.hpp, issue 18) on a synthetic stochastic model
// whose truth is known: the waves must never rule out the truth (repeated seeds), must cut the
// parameters the statistics inform and leave an inert one alone, and must not depend on the
// thread count or on being resumed.
#include <catch2/catch.hpp>

#include <boost/random/normal_distribution.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "calibration/history_matching.hpp"
#include "calibration/point_ensembles.hpp"
#include "model/random_stream.hpp"

using namespace iskabm;

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();
constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

// Four parameters on [0, 1] (the fourth log-uniform on [0.1, 10], and inert); six statistics with
// unit normal noise: 10 t0 twice, 10 t1, 5 (t0 + t2), 3 t0 t1 and pure noise. (A parameter that
// only one statistic informs is never cut by the second-largest implausibility.)
std::vector<Prior> synthetic_priors() {
  std::vector<Prior> p(4);
  p[3].kind = Prior::Kind::log_uniform;
  p[3].a = 0.1, p[3].b = 10;
  return p;
}
std::vector<double> synthetic(const std::vector<double>& t, std::uint64_t seed, std::uint64_t generation,
                              std::uint64_t proposal) {
  RandomStream rng(seed, (generation << 32) | proposal, Purpose::observation, 0, 0);
  boost::random::normal_distribution<double> noise(0.0, 1.0);
  return {10 * t[0] + noise(rng), 10 * t[0] + noise(rng),         10 * t[1] + noise(rng),
          5 * (t[0] + t[2]) + noise(rng), 3 * t[0] * t[1] + noise(rng), noise(rng)};
}
AbcSimulator synthetic_simulator(std::uint64_t seed) {
  return [seed](const std::vector<double>& t, std::uint64_t g, std::uint64_t p) { return synthetic(t, seed, g, p); };
}
ImplausibilityTerms terms_for(std::vector<double> observed) {
  const auto m = observed.size();
  return {std::move(observed), std::vector<double>(m, 0.0), std::vector<double>(m, 0.0)};
}

}  // namespace

TEST_CASE("history matching: the implausibility of one statistic", "[history_matching]") {
  // |z - mean| / sqrt(V_obs + V_md + s^2 (1 + 1/n)): 3 / sqrt(1 + 2 + 4 x 1.25) = 3 / sqrt(8).
  CHECK(implausibility(10, 7, 4, 4, 1, 2) == Approx(3 / std::sqrt(8.0)));
  CHECK(implausibility(not_a_number, 7, 4, 4, 1, 2) == 0);    // not observed: not matched
  CHECK(implausibility(10, not_a_number, 4, 0, 1, 2) == inf);  // never defined by the model
  CHECK(implausibility(10, 10, 0, 4, 0, 0) == 0);
  CHECK(implausibility(10, 9, 0, 4, 0, 0) == inf);
  CHECK(implausibility(10, 8, not_a_number, 1, 4, 0) == Approx(1.0));  // one replicate: no ensemble variance
}

TEST_CASE("history matching: a point's implausibility is the k-th largest", "[history_matching]") {
  const std::vector<double> i{0.5, 7, 2, 4};
  CHECK(point_implausibility(i, 1) == 7);
  CHECK(point_implausibility(i, 2) == 4);
  CHECK(point_implausibility(i, 3) == 2);
  CHECK(point_implausibility({1.5}, 3) == 1.5);
  CHECK(point_implausibility({}, 1) == 0);
}

TEST_CASE("history matching: a wave's design fills its box and depends only on (seed, wave)", "[history_matching]") {
  const std::vector<double> lo{0.2, 0.0, 0.5}, hi{0.4, 1.0, 0.6};
  const auto d = history_match_design(lo, hi, 64, 1, 7);
  REQUIRE(d.size() == 64);
  for (const auto& u : d)
    for (std::size_t i = 0; i < 3; ++i) {
      CHECK(u[i] >= lo[i]);
      CHECK(u[i] < hi[i]);
    }
  CHECK(history_match_design(lo, hi, 64, 1, 7) == d);
  CHECK(history_match_design(lo, hi, 64, 2, 7) != d);
  CHECK(history_match_design(lo, hi, 64, 1, 8) != d);
  // Space-filling: each coordinate's 8 equal slices of the box hold 8 points each, up to the shift.
  for (std::size_t i = 0; i < 3; ++i) {
    std::vector<int> count(8, 0);
    for (const auto& u : d) ++count[static_cast<std::size_t>(8 * (u[i] - lo[i]) / (hi[i] - lo[i]))];
    for (int c : count) CHECK(std::abs(c - 8) <= 1);
  }
}

TEST_CASE("history matching: never rules out the truth of a synthetic model, over repeated seeds", "[history_matching]") {
  const auto priors = synthetic_priors();
  HistoryMatchOptions o;
  o.waves = 3;
  o.points = 128;
  o.replicates = 4;
  o.threads = 2;
  double width_informed = 0, width_inert = 0;
  constexpr int seeds = 20;
  for (int seed = 1; seed <= seeds; ++seed) {
    INFO("seed " << seed);
    RandomStream truth_rng(static_cast<std::uint64_t>(seed), 0, Purpose::synthetic_truth, 0, 0);
    std::vector<double> truth_u(4), truth(4);
    for (std::size_t i = 0; i < 4; ++i) truth_u[i] = truth_rng.uniform(), truth[i] = priors[i].quantile(truth_u[i]);
    // The record: one realisation at the truth, from streams the waves never use.
    const auto observed = synthetic(truth, 1000 + static_cast<std::uint64_t>(seed), 7, 7);
    o.seed = static_cast<std::uint64_t>(seed);
    const auto hm = run_history_match(priors, terms_for(observed), o, synthetic_simulator(static_cast<std::uint64_t>(seed)));
    REQUIRE(hm.waves.size() == 3);
    CHECK_FALSE(hm.exhausted);
    const auto lo = hm.lower(4), hi = hm.upper(4);
    for (std::size_t i = 0; i < 4; ++i) {
      INFO("parameter " << i << ": truth " << truth_u[i] << " box [" << lo[i] << ", " << hi[i] << "]");
      CHECK(truth_u[i] >= lo[i]);
      CHECK(truth_u[i] <= hi[i]);
    }
    // The truth itself is non-implausible under its own ensemble.
    std::vector<double> per(observed.size());
    PointEnsembleOptions ensemble;
    ensemble.replicates = 8, ensemble.generation = 99, ensemble.common_random_numbers = false;
    const auto e = simulate_point_ensembles({truth}, ensemble, synthetic_simulator(static_cast<std::uint64_t>(seed)));
    for (std::size_t s = 0; s < per.size(); ++s)
      per[s] = implausibility(observed[s], e[0].mean[s], e[0].variance[s], e[0].defined[s], 0, 0);
    CHECK(point_implausibility(per, o.rank) <= o.cutoff);
    width_informed += (hi[0] - lo[0]) / seeds;
    width_inert += (hi[3] - lo[3]) / seeds;
    // Waves only shrink the box.
    for (std::size_t w = 1; w < hm.waves.size(); ++w)
      for (std::size_t i = 0; i < 4; ++i) {
        CHECK(hm.waves[w].lower[i] >= hm.waves[w - 1].lower[i]);
        CHECK(hm.waves[w].upper[i] <= hm.waves[w - 1].upper[i]);
      }
  }
  // It does cut: 10 t0 with unit noise leaves about +-3 sqrt(2.25) / 10 = +-0.45 before the other
  // statistics narrow it further; the inert parameter keeps nearly its whole range.
  CHECK(width_informed < 0.75);
  CHECK(width_inert > 0.9);
}

TEST_CASE("history matching: the same waves on any thread count, and resumed", "[history_matching]") {
  const auto priors = synthetic_priors();
  const auto observed = synthetic({0.3, 0.6, 0.5, 1.0}, 5, 7, 7);
  HistoryMatchOptions o;
  o.waves = 3;
  o.points = 64;
  o.seed = 3;
  o.threads = 1;
  const auto one = run_history_match(priors, terms_for(observed), o, synthetic_simulator(5));
  o.threads = 2;
  const auto two = run_history_match(priors, terms_for(observed), o, synthetic_simulator(5));
  REQUIRE(one.waves.size() == 3);
  REQUIRE(two.waves.size() == 3);
  for (std::size_t w = 0; w < 3; ++w) {
    CHECK(one.waves[w].mean == two.waves[w].mean);
    CHECK(one.waves[w].point_implausibility == two.waves[w].point_implausibility);
    CHECK(one.waves[w].next_lower == two.waves[w].next_lower);
  }
  // Stopped after one wave, resumed to three: the same as straight through.
  o.waves = 1;
  const auto first = run_history_match(priors, terms_for(observed), o, synthetic_simulator(5));
  o.waves = 3;
  const auto resumed = run_history_match(priors, terms_for(observed), o, synthetic_simulator(5), {}, {}, nullptr, first.waves);
  REQUIRE(resumed.waves.size() == 3);
  CHECK(resumed.waves[2].design == two.waves[2].design);
  CHECK(resumed.upper(4) == two.upper(4));
  // A stop set before the first batch drops the wave.
  const std::atomic<bool> stop{true};
  const auto stopped = run_history_match(priors, terms_for(observed), o, synthetic_simulator(5), {}, {}, &stop);
  CHECK(stopped.interrupted);
  CHECK(stopped.waves.empty());
}

TEST_CASE("history matching: a record no point can match exhausts the waves and keeps the box", "[history_matching]") {
  const auto priors = synthetic_priors();
  HistoryMatchOptions o;
  o.points = 32;
  // Two statistics far out of reach: even the second-largest implausibility rules every point out.
  const auto hm = run_history_match(priors, terms_for({1000, 1000, 5, 5, 1, 0}), o, synthetic_simulator(1));
  REQUIRE(hm.waves.size() == 1);
  CHECK(hm.exhausted);
  CHECK(hm.waves[0].non_implausible_fraction == 0);
  CHECK(hm.lower(4) == std::vector<double>(4, 0.0));
  CHECK(hm.upper(4) == std::vector<double>(4, 1.0));
  CHECK_THROWS(run_history_match(priors, terms_for({1, 2, 3, 4, 5, 6}), HistoryMatchOptions{.replicates = 1},
                                 synthetic_simulator(1)));
}

TEST_CASE("history matching: the region bounds the priors at its quantiles", "[history_matching]") {
  Prior u;  // uniform(0, 1)
  u.a = 2, u.b = 6;
  Prior lu;
  lu.kind = Prior::Kind::log_uniform, lu.a = 1, lu.b = 100;
  Prior n;
  n.kind = Prior::Kind::normal, n.mean = 0, n.sd = 1;
  const auto b = bounded_priors({u, lu, n, u}, {0.25, 0.5, 0.0, 0.0}, {0.75, 1.0, 0.5, 1.0});
  CHECK(b[0].a == Approx(3));
  CHECK(b[0].b == Approx(5));
  CHECK(b[1].kind == Prior::Kind::log_uniform);
  CHECK(b[1].a == Approx(10));
  CHECK(b[1].b == 100);
  CHECK(b[2].kind == Prior::Kind::truncated_normal);
  CHECK(b[2].a == -10);
  CHECK(b[2].b == Approx(0).margin(1e-12));
  CHECK(b[3].describe() == u.describe());  // not cut: the prior itself
  // A truncated normal samples inside its bounds however far in the tail they lie.
  Prior tail = n.truncated(4, 5);
  RandomStream rng(1, 0, Purpose::synthetic_truth, 0, 0);
  for (int i = 0; i < 100; ++i) {
    const double x = tail.sample(rng);
    CHECK(x >= 4);
    CHECK(x <= 5);
  }
}
