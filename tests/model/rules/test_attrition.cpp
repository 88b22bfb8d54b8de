// Attrition (model/rules/attrition.cpp, ODD §7.2). Each member is lost with probability
// q = min(0.9, sum of q_k); the losses are split among the causes in proportion to
//   q_killed = kill_rate K_d, q_captured = capture_rate C_d, q_surrendered = surrender_rate P_d b,
//   q_Taliban = clash_rate T_d (groups hostile to the Taliban), q_deserted = desertion_rate b,
// b = broke_surrender_factor for a cell without resources. The variates are Boost binomials, so
// the checks are on sums over many members against the binomial mean and standard error.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>

#include "model/rules/rules.hpp"
#include "support/rule_fixture.hpp"

using namespace iskabm;

namespace {

constexpr std::array causes = {GroupMetric::killed, GroupMetric::captured, GroupMetric::surrendered,
                               GroupMetric::killed_by_taliban, GroupMetric::deserted};

// Conditions in every district used: K = 2, C = 3, P = 1.5, T = 0.8; all rates zero.
void set_up(test::RuleWorld& rw, std::initializer_list<DistrictIndex> districts) {
  auto& p = rw.parameters();
  p.attrition_kill_rate = p.attrition_capture_rate = p.attrition_surrender_rate = p.attrition_taliban_clash_rate =
      p.attrition_desertion_rate = 0.0;
  p.attrition_broke_surrender_factor = 4.0;
  for (auto d : districts) {
    rw.set_pressure(d, 1.5, 2.0, 3.0);
    rw.conditions.taliban_presence[d] = 0.8;
  }
}

bool within(double k, double n, double q, double sigmas = 4.5) {
  return std::abs(k - n * q) <= sigmas * std::sqrt(n * q * (1 - q));
}

}  // namespace

TEST_CASE("attrition: losses land in the cause that produced them, in the cell's country", "[rules][attrition]") {
  // One cause at a time: its rate alone is set, so every loss is due to it.
  for (std::size_t k = 0; k < causes.size(); ++k) {
    test::RuleWorld rw;
    const auto afg = rw.district("AFG-029"), pak = rw.district("PAK15-050");
    set_up(rw, {afg, pak});
    auto& p = rw.parameters();
    double q = 0;
    switch (k) {
      case 0: p.attrition_kill_rate = 0.05, q = 0.05 * 2.0; break;
      case 1: p.attrition_capture_rate = 0.05, q = 0.05 * 3.0; break;
      case 2: p.attrition_surrender_rate = 0.05, q = 0.05 * 1.5; break;
      case 3: p.attrition_taliban_clash_rate = 0.1, q = 0.1 * 0.8; break;
      default: p.attrition_desertion_rate = 0.1, q = 0.1; break;
    }
    const auto a = rw.group("A");
    for (int i = 0; i < 100; ++i) {
      rw.add_cell(a, afg, 200, 100.0);
      rw.add_cell(a, pak, 200, 100.0);
    }
    rw.index();
    rules::attrition(rw.world, rw.state, rw.recorder, rw.day(0));
    long left[2] = {0, 0};
    for (std::size_t i = 0; i < rw.state.cells.count; ++i) {
      REQUIRE(rw.state.cells.members[i] >= 0);
      left[rw.state.cells.district[i] == pak] += rw.state.cells.members[i];
    }
    const long lost_afg = 100 * 200 - left[0], lost_pak = 100 * 200 - left[1];
    INFO("cause " << to_string(causes[k]) << ": lost " << lost_afg << " in Afghanistan, " << lost_pak
                  << " in Pakistan, expected " << 20000 * q << " each");
    CHECK(within(static_cast<double>(lost_afg), 20000, q));
    CHECK(within(static_cast<double>(lost_pak), 20000, q));
    for (std::size_t j = 0; j < causes.size(); ++j) {
      INFO("recorded as " << to_string(causes[j]));
      CHECK(rw.metric(a, Country::afghanistan, causes[j]) == (j == k ? lost_afg : 0));
      CHECK(rw.metric(a, Country::pakistan, causes[j]) == (j == k ? lost_pak : 0));
    }
  }
}

TEST_CASE("attrition: losses split among the causes in proportion to their terms", "[rules][attrition]") {
  test::RuleWorld rw;
  const auto d = rw.district("AFG-029");
  set_up(rw, {d});
  auto& p = rw.parameters();
  p.attrition_kill_rate = 0.02;            // q = 0.04
  p.attrition_capture_rate = 0.01;         //     0.03
  p.attrition_surrender_rate = 0.01;       //     0.015 (0.06 when broke)
  p.attrition_taliban_clash_rate = 0.025;  // 0.02 (A only: B is not hostile to the Taliban)
  p.attrition_desertion_rate = 0.01;       //     0.01 (0.04 when broke)
  const auto a = rw.group("A"), b = rw.group("B"), c = rw.group("C");
  constexpr int cells = 200, m = 500;
  for (int i = 0; i < cells; ++i) {
    rw.add_cell(a, d, m, 100.0);
    rw.add_cell(b, d, m, 100.0);
    rw.add_cell(c, d, m, 0.0);  // broke
  }
  rw.index();
  rules::attrition(rw.world, rw.state, rw.recorder, rw.day(0));
  constexpr double n = cells * m;
  const std::array<double, 5> q_a = {0.04, 0.03, 0.015, 0.02, 0.01}, q_b = {0.04, 0.03, 0.015, 0.0, 0.01},
                              q_c = {0.04, 0.03, 0.06, 0.0, 0.04};
  for (const auto& [g, q] : {std::pair{a, q_a}, std::pair{b, q_b}, std::pair{c, q_c}}) {
    std::int64_t lost = 0;
    for (std::size_t k = 0; k < causes.size(); ++k) {
      const auto got = rw.metric(g, Country::afghanistan, causes[k]);
      lost += got;
      INFO("group " << rw.world.config.groups[g].id << ", " << to_string(causes[k]) << ": " << got << ", expected "
                    << n * q[k]);
      if (q[k] == 0)
        CHECK(got == 0);
      else
        CHECK(within(static_cast<double>(got), n, q[k]));
    }
    CHECK(n - static_cast<double>(rw.members_of(g)) == static_cast<double>(lost));
  }
}

TEST_CASE("attrition: the loss probability is capped at 0.9 and members never go negative", "[rules][attrition]") {
  test::RuleWorld rw;
  const auto d = rw.district("AFG-029");
  set_up(rw, {d});
  rw.parameters().attrition_kill_rate = 1.0;     // q_killed = 2
  rw.parameters().attrition_capture_rate = 1.0;  // q_captured = 3: together 5, capped at 0.9
  const auto a = rw.group("A");
  constexpr int cells = 400;
  for (int i = 0; i < cells; ++i) rw.add_cell(a, d, 1 + i % 50, 100.0);
  long before = 0;
  for (std::size_t i = 0; i < rw.state.cells.count; ++i) before += rw.state.cells.members[i];
  rw.index();
  rules::attrition(rw.world, rw.state, rw.recorder, rw.day(0));
  for (std::size_t i = 0; i < rw.state.cells.count; ++i) REQUIRE(rw.state.cells.members[i] >= 0);
  const auto killed = rw.metric(a, Country::afghanistan, GroupMetric::killed),
             captured = rw.metric(a, Country::afghanistan, GroupMetric::captured);
  const double n = static_cast<double>(before);
  CHECK(before - rw.members_of(a) == killed + captured);
  CHECK(within(static_cast<double>(killed + captured), n, 0.9));
  CHECK(within(static_cast<double>(killed), n, 0.9 * 2.0 / 5.0));
  CHECK(within(static_cast<double>(captured), n, 0.9 * 3.0 / 5.0));
}
