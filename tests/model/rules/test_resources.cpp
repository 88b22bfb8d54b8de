// Resources (model/rules/resources.cpp, ODD §7.3). Each day
//   R <- max(0, R + m x (local_income x (1 + logistical_share x s_L) + external_funding_g x f_g - upkeep)),
// s_L the strength of the group's strongest active logistical tie (0 if none), f_g the scenario's
// funding multiplier.
#include <catch2/catch.hpp>

#include "model/rules/rules.hpp"
#include "support/rule_fixture.hpp"

using namespace iskabm;

TEST_CASE("resources: a day's income, funding and upkeep per member", "[rules][resources]") {
  // A-B logistical (high end, strength 1) all year; B-C logistical (low end, 0.4) from July.
  test::RuleWorld rw(R"(
[[alliance_tie]]
groups = ["A", "B"]
type = "logistical"
quality = "high_end"
start = 2016-01-01
[[alliance_tie]]
groups = ["B", "C"]
type = "logistical"
quality = "low_end"
start = 2016-07-01
)");
  auto& p = rw.parameters();
  p.resources_local_income = 3.0;
  p.resources_upkeep = 4.0;
  p.resources_logistical_share = 0.1;
  const auto a = rw.group("A"), b = rw.group("B"), c = rw.group("C");
  REQUIRE(rw.world.config.groups[a].external_funding == 2.0);
  REQUIRE(rw.world.config.groups[b].external_funding == 1.0);
  REQUIRE(rw.world.config.groups[c].external_funding == 0.5);
  rw.conditions.funding[b] = 0.5;
  const auto d = rw.district("AFG-029");
  const auto ca = rw.add_cell(a, d, 10, 100.0);
  const auto cb = rw.add_cell(b, rw.district("PAK15-050"), 20, 100.0);
  const auto cc = rw.add_cell(c, d, 30, 100.0);
  const auto broke = rw.add_cell(c, d, 1000, 100.0);  // would fall below zero
  const auto dead = rw.add_cell(a, d, 10, 100.0);
  rw.state.cells.alive[dead] = 0;

  rules::resources(rw.world, rw.state, rw.day(rw.day_index({2016, 3, 1})));
  const auto& r = rw.state.cells.resources;
  CHECK(r[ca] == Approx(100.0 + 10 * (3.0 * 1.1 + 2.0 - 4.0)));        // +13
  CHECK(r[cb] == Approx(100.0 + 20 * (3.0 * 1.1 + 1.0 * 0.5 - 4.0)));  // -4
  CHECK(r[cc] == Approx(100.0 + 30 * (3.0 + 0.5 - 4.0)));              // -15
  CHECK(r[broke] == 0.0);
  CHECK(r[dead] == 100.0);

  // From July C has a low-end logistical tie: local income x (1 + 0.1 x 0.4).
  rules::resources(rw.world, rw.state, rw.day(rw.day_index({2016, 7, 1})));
  CHECK(r[cc] == Approx(85.0 + 30 * (3.0 * 1.04 + 0.5 - 4.0)));
  CHECK(r[cb] == Approx(96.0 + 20 * (3.0 * 1.1 + 0.5 - 4.0)));  // the strongest of B's ties counts
}

TEST_CASE("resources: the strongest active tie of a type", "[rules][resources]") {
  test::RuleWorld rw(R"(
[[alliance_tie]]
groups = ["A", "B"]
type = "logistical"
quality = "low_end"
start = 2016-01-01
[[alliance_tie]]
groups = ["C", "A"]
type = "logistical"
quality = "high_end"
start = 2016-05-01
end = 2016-05-31
)");
  const auto a = rw.group("A"), b = rw.group("B"), c = rw.group("C");
  const auto day = [&](CivilDate date) { return rw.world.day_number(rw.day_index(date)); };
  CHECK(rules::strongest_tie(rw.world, a, TieType::logistical, day({2016, 4, 30})) == Approx(0.4));
  CHECK(rules::strongest_tie(rw.world, a, TieType::logistical, day({2016, 5, 1})) == 1.0);
  CHECK(rules::strongest_tie(rw.world, a, TieType::logistical, day({2016, 6, 1})) == Approx(0.4));
  CHECK(rules::strongest_tie(rw.world, c, TieType::logistical, day({2016, 6, 1})) == 0.0);
  CHECK(rules::strongest_tie(rw.world, b, TieType::logistical, day({2016, 6, 1})) == Approx(0.4));
  CHECK(rules::strongest_tie(rw.world, a, TieType::operational, day({2016, 5, 1})) == 0.0);
}
