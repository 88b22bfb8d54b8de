// Global sensitivity designs and estimators (calibration/sensitivity_design.hpp, issue 18) against
// functions whose indices are known: linear models (S_i = ST_i = c_i^2 / sum c^2; every Morris
// elementary effect equals c_i) and the Ishigami function (Saltelli et al. 2008, Global
// Sensitivity Analysis: The Primer, §4.5, a = 7, b = 0.1).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <set>
#include <vector>

#include "calibration/sensitivity_design.hpp"
#include "calibration/sensitivity_simulator.hpp"
#include "calibration/sensitivity_study.hpp"

using namespace iskabm;
using namespace iskabm::sensitivity;

namespace {

double ishigami(const std::vector<double>& u) {
  const double pi = std::numbers::pi;
  const double x1 = -pi + 2 * pi * u[0], x2 = -pi + 2 * pi * u[1], x3 = -pi + 2 * pi * u[2];
  return std::sin(x1) + 7.0 * std::sin(x2) * std::sin(x2) + 0.1 * std::pow(x3, 4) * std::sin(x1);
}

template <class F>
std::vector<double> evaluate(const std::vector<std::vector<double>>& points, F f) {
  std::vector<double> out;
  for (const auto& x : points) out.push_back(f(x));
  return out;
}

}  // namespace

TEST_CASE("sensitivity: a Morris trajectory moves each factor once by +-Delta on the grid", "[sensitivity]") {
  const std::size_t k = 5, r = 12, p = 6;
  const auto d = morris_design(k, r, p, 42);
  REQUIRE(d.points.size() == r * (k + 1));
  REQUIRE(d.moved.size() == r * k);
  CHECK(d.delta == Approx(3.0 / 5.0));
  for (std::size_t t = 0; t < r; ++t) {
    std::set<std::size_t> moved;
    for (std::size_t j = 1; j <= k; ++j) {
      const auto& before = d.points[t * (k + 1) + j - 1];
      const auto& after = d.points[t * (k + 1) + j];
      const auto i = d.moved[t * k + j - 1];
      moved.insert(i);
      for (std::size_t c = 0; c < k; ++c) {
        if (c == i)
          CHECK(after[c] - before[c] == Approx(d.step[t * k + j - 1]));
        else
          CHECK(after[c] == before[c]);
      }
      CHECK(std::abs(d.step[t * k + j - 1]) == Approx(d.delta));
    }
    CHECK(moved.size() == k);
    for (std::size_t j = 0; j <= k; ++j)
      for (double x : d.points[t * (k + 1) + j]) {
        CHECK(x >= 0.0);
        CHECK(x <= 1.0);
        const double level = x * static_cast<double>(p - 1);
        CHECK(level == Approx(std::round(level)).margin(1e-12));  // on the p-level grid
      }
  }
  // Deterministic, and trajectory t depends only on (seed, t).
  const auto again = morris_design(k, r + 3, p, 42);
  for (std::size_t j = 0; j < d.points.size(); ++j) CHECK(again.points[j] == d.points[j]);
  CHECK(morris_design(k, r, p, 43).points != d.points);
  CHECK_THROWS(morris_design(k, r, 5, 1));
}

TEST_CASE("sensitivity: Morris recovers a linear model's coefficients and flags an interaction", "[sensitivity]") {
  const std::vector<double> c = {3.0, -1.5, 0.0, 0.25};
  const auto d = morris_design(c.size(), 20, 4, 7);
  const auto linear = evaluate(d.points, [&](const std::vector<double>& x) {
    double s = 0;
    for (std::size_t i = 0; i < c.size(); ++i) s += c[i] * x[i];
    return s;
  });
  const auto m = morris_indices(d, linear);
  for (std::size_t i = 0; i < c.size(); ++i) {
    CHECK(m.mu[i] == Approx(c[i]).margin(1e-12));
    CHECK(m.mu_star[i] == Approx(std::abs(c[i])).margin(1e-12));
    CHECK(m.sigma[i] == Approx(0.0).margin(1e-12));
  }
  // x0 * x1: both effects vary with the other factor (sigma > 0); x2 is inert (mu* = 0).
  const auto product = evaluate(d.points, [](const std::vector<double>& x) { return x[0] * x[1]; });
  const auto q = morris_indices(d, product);
  CHECK(q.sigma[0] > 0.1);
  CHECK(q.sigma[1] > 0.1);
  CHECK(q.mu_star[2] == 0.0);
  CHECK(q.mu_star[3] == 0.0);
}

TEST_CASE("sensitivity: the Saltelli design's A_B^i is A with column i from B", "[sensitivity]") {
  const auto d = saltelli_design(3, 64);
  REQUIRE(d.points.size() == 64 * 5);
  std::set<std::vector<double>> distinct;
  for (std::size_t j = 0; j < 64; ++j) {
    const auto& a = d.points[j * 5];
    const auto& b = d.points[j * 5 + 1];
    distinct.insert(a);
    for (std::size_t i = 0; i < 3; ++i) {
      auto expected = a;
      expected[i] = b[i];
      CHECK(d.points[j * 5 + 2 + i] == expected);
    }
    for (double x : a) CHECK((x >= 0.0 && x < 1.0));
  }
  CHECK(distinct.size() == 64);  // no point repeated (Boost's sequence leaves out the origin)
  // Stratified like a Sobol' net: the first 64 points put two in every 1/32 of each coordinate,
  // give or take the one point by which Boost's sequence (it starts after the origin) differs from
  // the net. A pseudo-random sample of 64 leaves about 4 of the 32 cells empty.
  for (std::size_t c = 0; c < 6; ++c) {
    std::vector<int> count(32, 0);
    for (std::size_t j = 0; j < 64; ++j) {
      const auto& x = c < 3 ? d.points[j * 5] : d.points[j * 5 + 1];
      ++count[static_cast<std::size_t>(x[c % 3] * 32)];
    }
    INFO("coordinate " << c);
    CHECK(*std::min_element(count.begin(), count.end()) >= 1);
    CHECK(*std::max_element(count.begin(), count.end()) <= 3);
  }
}

TEST_CASE("sensitivity: Sobol' indices of a linear model", "[sensitivity]") {
  const std::vector<double> c = {2.0, 1.0, 0.0};
  const auto d = saltelli_design(c.size(), 4096);
  const auto f = evaluate(d.points, [&](const std::vector<double>& x) { return c[0] * x[0] + c[1] * x[1]; });
  const auto s = sobol_indices(d, f);
  CHECK(s.variance == Approx((4.0 + 1.0) / 12.0).epsilon(0.01));
  CHECK(s.first[0] == Approx(0.8).margin(0.02));
  CHECK(s.first[1] == Approx(0.2).margin(0.02));
  CHECK(s.first[2] == Approx(0.0).margin(1e-12));
  CHECK(s.total[0] == Approx(0.8).margin(0.02));
  CHECK(s.total[1] == Approx(0.2).margin(0.02));
  CHECK(s.total[2] == Approx(0.0).margin(1e-12));
}

TEST_CASE("sensitivity: Sobol' indices of the Ishigami function, with bootstrap intervals", "[sensitivity]") {
  // Analytic values (a = 7, b = 0.1): S = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437).
  const double pi = std::numbers::pi, a = 7.0, b = 0.1;
  const double v1 = 0.5 * std::pow(1 + b * std::pow(pi, 4) / 5, 2), v2 = a * a / 8;
  const double v13 = b * b * std::pow(pi, 8) * (1.0 / 18 - 1.0 / 50);
  const double v = v1 + v2 + v13;
  const std::vector<double> first = {v1 / v, v2 / v, 0.0}, total = {(v1 + v13) / v, v2 / v, v13 / v};
  REQUIRE(first[0] == Approx(0.3139).margin(1e-4));
  REQUIRE(total[2] == Approx(0.2437).margin(1e-4));

  const auto d = saltelli_design(3, 8192);
  const auto f = evaluate(d.points, ishigami);
  const auto s = sobol_indices(d, f, 200, 11);
  CHECK(s.variance == Approx(v).epsilon(0.02));
  for (std::size_t i = 0; i < 3; ++i) {
    INFO("factor " << i + 1 << ": S " << s.first[i] << " [" << s.first_low[i] << ", " << s.first_high[i] << "], ST "
                   << s.total[i] << " [" << s.total_low[i] << ", " << s.total_high[i] << "]");
    CHECK(s.first[i] == Approx(first[i]).margin(0.03));
    CHECK(s.total[i] == Approx(total[i]).margin(0.03));
    CHECK(s.first_low[i] <= s.first[i]);
    CHECK(s.first_high[i] >= s.first[i]);
    CHECK(s.first_high[i] - s.first_low[i] < 0.15);
    CHECK(s.total_low[i] <= total[i] + 0.01);
    CHECK(s.total_high[i] >= total[i] - 0.01);
  }
  // Deterministic bootstrap.
  const auto again = sobol_indices(d, f, 200, 11);
  CHECK(again.first_low == s.first_low);
  CHECK(again.total_high == s.total_high);
}

TEST_CASE("sensitivity study: Ishigami through uniform priors, any thread count, common random numbers",
          "[sensitivity]") {
  const double pi = std::numbers::pi;
  Prior u{Prior::Kind::uniform, -pi, pi};
  const std::vector<Prior> priors = {u, u, u};
  const std::vector<std::string> factors = {"x1", "x2", "x3"}, statistics = {"ishigami", "noise"};
  // Statistic 0: Ishigami plus noise that depends only on the replicate (common random numbers
  // cancel it from every difference); statistic 1: the noise alone (no parameter matters).
  const AbcSimulator simulate = [](const std::vector<double>& x, std::uint64_t, std::uint64_t replicate) {
    const double noise = 0.37 * static_cast<double>(replicate % 5);
    return std::vector<double>{
        std::sin(x[0]) + 7.0 * std::sin(x[1]) * std::sin(x[1]) + 0.1 * std::pow(x[2], 4) * std::sin(x[0]) + noise,
        noise};
  };
  SensitivityOptions o;
  o.method = SensitivityMethod::sobol;
  o.base_samples = 4096;
  o.bootstrap = 50;
  o.replicates = 3;
  o.threads = 2;
  const auto s = run_sensitivity_study(factors, priors, statistics, {1.0, 1.0}, o, simulate);
  REQUIRE(s.indices.size() == 6);
  CHECK(s.simulations == 4096u * 5u * 3u);
  const auto at = [&](std::size_t f, std::size_t st) { return s.indices[f * 2 + st]; };
  CHECK(at(0, 0).first == Approx(0.3139).margin(0.03));
  CHECK(at(1, 0).first == Approx(0.4424).margin(0.03));
  CHECK(at(2, 0).total == Approx(0.2437).margin(0.03));
  CHECK(at(0, 1).output_sd == 0.0);  // the noise statistic is constant over the design
  CHECK(s.ranking() == std::vector<std::size_t>{0, 1, 2});

  o.threads = 1;
  const auto one = run_sensitivity_study(factors, priors, statistics, {1.0, 1.0}, o, simulate);
  for (std::size_t i = 0; i < s.indices.size(); ++i) {
    CHECK((one.indices[i].first == s.indices[i].first || std::isnan(s.indices[i].first)));
    CHECK((one.indices[i].total_high == s.indices[i].total_high || std::isnan(s.indices[i].total_high)));
  }

  SECTION("Morris maps its grid to finite prior quantiles, also for a normal prior") {
    SensitivityOptions m;
    m.levels = 4;
    const std::vector<Prior> mixed = {Prior{Prior::Kind::normal, 0, 0, 2.0, 0.5}, u};
    const auto lo = sensitivity_point_values(mixed, {0.0, 0.0}, m);
    const auto hi = sensitivity_point_values(mixed, {1.0, 1.0}, m);
    CHECK(std::isfinite(lo[0]));
    CHECK(lo[0] == Approx(mixed[0].quantile(0.125)));
    CHECK(hi[0] == Approx(mixed[0].quantile(0.875)));
    CHECK(lo[1] == Approx(-pi + 2 * pi * 0.125));
  }
}

TEST_CASE("sensitivity: parameters outside the spec vary by a factor of 2 around their defaults", "[sensitivity]") {
  const ParameterSpec wide{"x.wide", "1", 0, 100, nullptr, "", ""};
  auto p = default_range_prior(wide, 10);
  CHECK(p.kind == Prior::Kind::log_uniform);
  CHECK(p.a == 5);
  CHECK(p.b == 20);
  const ParameterSpec narrow{"x.narrow", "1", 8, 12, nullptr, "", ""};
  p = default_range_prior(narrow, 10);  // clipped to the loader's range
  CHECK(p.a == 8);
  CHECK(p.b == 12);
  const ParameterSpec logit{"x.logit", "logit", -10, 10, nullptr, "", ""};
  p = default_range_prior(logit, -2);
  CHECK(p.kind == Prior::Kind::uniform);
  CHECK(p.a == -4);
  CHECK(p.b == -1);
  p = default_range_prior(wide, 0);  // a default of 0: the lowest tenth of the range
  CHECK(p.kind == Prior::Kind::uniform);
  CHECK(p.a == 0);
  CHECK(p.b == 10);
  const ParameterSpec pinned{"x.pinned", "1", 3, 3, nullptr, "", ""};
  CHECK_THROWS(default_range_prior(pinned, 3));
}

TEST_CASE("sensitivity: a what-if's answers from a replicate's record", "[sensitivity]") {
  Recorder r;
  r.months = 14;
  r.groups = 2;
  r.group_monthly.assign(r.months * r.groups * country_count * group_metric_count, 0);
  for (std::size_t m = 0; m < r.months; ++m) {
    r.group_metric(m, 1, Country::afghanistan, GroupMetric::members) = 100 + static_cast<std::int64_t>(m);
    r.group_metric(m, 1, Country::pakistan, GroupMetric::members) = 10;
    r.group_metric(m, 0, Country::afghanistan, GroupMetric::members) = 999;  // not the focal group
  }
  r.events.push_back(AttackEvent{0, 0, 1, -1, TargetClass::civilians, Tactic::ied, 7, 1, 0, 0, 1});
  r.events.push_back(AttackEvent{0, 0, 1, -1, TargetClass::civilians, Tactic::ied, 3, 0, 0, 0, 2});
  const auto a = what_if_answers(r, 1);
  REQUIRE(a.size() == what_if_answer_names("w").size());
  CHECK(a[0] == 2);   // attacks
  CHECK(a[1] == 1);   // reported
  CHECK(a[2] == 10);  // fatalities
  // Months 2..13: members 102..113 in Afghanistan plus 10 in Pakistan, mean 117.5.
  CHECK(a[3] == Approx(117.5));
  CHECK(what_if_answer_names("w")[3] == "w:focal_members_last_year");
}

TEST_CASE("sensitivity study: Morris effects per unit of prior quantile, and on log(1 + y) with --log",
          "[sensitivity]") {
  const Prior unit{Prior::Kind::uniform, 0.0, 1.0};
  const std::vector<Prior> priors = {unit, unit};
  // y = exp(2 x1 + 0.5 x2) - 1: log(1 + y) is linear with slopes 2 and 0.5; z = x1 - 3 x2 can be
  // negative, so --log leaves it alone.
  const AbcSimulator simulate = [](const std::vector<double>& x, std::uint64_t, std::uint64_t) {
    return std::vector<double>{std::expm1(2 * x[0] + 0.5 * x[1]), x[0] - 3 * x[1]};
  };
  SensitivityOptions o;
  o.trajectories = 10;
  o.levels = 6;
  o.log_outputs = true;
  const auto s = run_sensitivity_study({"x1", "x2"}, priors, {"y", "z"}, {1, 1}, o, simulate);
  const auto at = [&](std::size_t f, std::size_t st) { return s.indices[f * 2 + st]; };
  CHECK(at(0, 0).mu == Approx(2.0));
  CHECK(at(1, 0).mu == Approx(0.5));
  CHECK(at(0, 0).sigma == Approx(0.0).margin(1e-9));
  CHECK(at(0, 1).mu == Approx(1.0));  // z untransformed: its slopes exactly
  CHECK(at(1, 1).mu == Approx(-3.0));
  o.log_outputs = false;
  const auto raw = run_sensitivity_study({"x1", "x2"}, priors, {"y", "z"}, {1, 1}, o, simulate);
  CHECK(raw.indices[0].sigma > 0.1);  // exp is not linear: the effect of x1 depends on where it is taken
  CHECK(raw.indices[1].mu == Approx(1.0));
}
