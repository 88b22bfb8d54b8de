// Attacks (model/rules/attacks.cpp, ODD §7.7). A cell attacks on a day with probability
// 1 - exp(-h), h = base_rate x propensity x m/(m + m_half) x R/(R + R_half) x O_d x S_t x
// exp(-k P_d) x (1 + boost x s); the attack's district is d or a neighbour in proportion to
// opportunity; the Taliban target weight is multiplied by the Taliban presence of that district.
// The attack stream of a cell draws, in order: the decision, the location, the target class, the
// tactic (uniforms), then the fatalities (a normal variate).
#include <catch2/catch.hpp>

#include <cmath>
#include <set>

#include "model/rules/rules.hpp"
#include "support/rule_fixture.hpp"
#include "support/scripted_draws.hpp"

using namespace iskabm;
using test::just_above;
using test::just_below;

namespace {

constexpr double members = 50, resources = 3000;

// The documented hazard of a cell of group g with `members` and `resources` in district d.
double hazard(const test::RuleWorld& rw, GroupIndex g, DistrictIndex d, double season, double support = 0.0) {
  const auto& p = rw.world.config.parameters;
  const auto& group = rw.world.config.groups[g];
  return p.attack_base_rate * group.attack_propensity * members / (members + p.attack_capability_half_members) *
         resources / (resources + p.attack_capability_half_resources) * test::reach_opportunity(rw.world, d) * season *
         std::exp(-p.attack_pressure_suppression * rw.conditions.total[d]) * (1.0 + p.joint_capability_boost * support);
}
double probability(double h) { return -std::expm1(-h); }

// One cell of A in d attacks (or not) on day 0 with the given first draws of its attack stream
// (which the rule must read unless `draws_expected` is false).
bool attacks_with(test::RuleWorld& rw, DistrictIndex d, const std::vector<double>& draws, double season = 1.0,
                  bool draws_expected = true) {
  test::ScriptedDraws script;
  rw.script = &script;
  rw.state.cells.count = 0;
  rw.recorder.events.clear();
  const auto slot = rw.add_cell(rw.group("A"), d, static_cast<std::int32_t>(members), resources);
  script.uniforms(Purpose::attack, rw.uid(slot), draws);
  rw.index();
  rules::attacks(rw.world, rw.state, rw.recorder, rw.day(0, season));
  REQUIRE((script.scripted_blocks() > 0) == draws_expected);  // the script was read (or, rightly, not)
  rw.script = nullptr;
  return rw.recorder.events.size() == 1;
}

}  // namespace

TEST_CASE("attacks: the hazard falls as exp(-k P) under pressure", "[rules][attacks]") {
  test::RuleWorld rw;
  rw.parameters().attack_base_rate = 0.5;
  const auto d = rw.district("AFG-029");
  REQUIRE(rw.parameters().attack_pressure_suppression == 0.4);

  SECTION("the threshold of the decision draw is 1 - exp(-h0 exp(-k P))") {
    const double h0 = hazard(rw, rw.group("A"), d, 1.0);
    for (double P : {0.0, 0.5, 2.0, 5.0}) {
      rw.set_pressure(d, P);
      const double p = probability(h0 * std::exp(-0.4 * P));
      INFO("P = " << P << ": attack probability " << p);
      CHECK(attacks_with(rw, d, {just_below(p), 0.0, 0.0, 0.0}));
      CHECK(!attacks_with(rw, d, {just_above(p), 0.0, 0.0, 0.0}));
    }
  }

  SECTION("attack frequencies of many cells at two pressure levels") {
    // 4000 cells in Achin without pressure and 4000 in Nazyan under pressure 2.5, one day.
    const auto quiet = d, pressed = rw.district("AFG-243");
    rw.set_pressure(pressed, 2.5);
    constexpr int n = 4000;
    std::set<std::uint64_t> in_pressed;
    for (int i = 0; i < n; ++i) {
      rw.add_cell(rw.group("A"), quiet, static_cast<std::int32_t>(members), resources);
      in_pressed.insert(rw.uid(rw.add_cell(rw.group("A"), pressed, static_cast<std::int32_t>(members), resources)));
    }
    rw.index();
    rules::attacks(rw.world, rw.state, rw.recorder, rw.day(3));
    double k_quiet = 0, k_pressed = 0;
    for (const auto& e : rw.recorder.events) (in_pressed.contains(e.cell_uid) ? k_pressed : k_quiet) += 1;
    const double p_quiet = probability(hazard(rw, rw.group("A"), quiet, 1.0)),
                 p_pressed = probability(hazard(rw, rw.group("A"), pressed, 1.0));
    const auto within = [](double k, double p) { return std::abs(k - n * p) < 4.5 * std::sqrt(n * p * (1 - p)); };
    INFO("quiet: " << k_quiet << " attacks, expected " << n * p_quiet << "; pressed: " << k_pressed << ", expected "
                   << n * p_pressed);
    CHECK(within(k_quiet, p_quiet));
    CHECK(within(k_pressed, p_pressed));
    CHECK(k_pressed < k_quiet);
    // The hazard ratio -ln(1 - f): the pressed cells' hazard is exp(-0.4 x 2.5) of the quiet ones',
    // scaled by the districts' opportunities.
    const double ratio = std::log1p(-k_pressed / n) / std::log1p(-k_quiet / n);
    const double expected =
        std::exp(-0.4 * 2.5) * test::reach_opportunity(rw.world, pressed) / test::reach_opportunity(rw.world, quiet);
    CHECK(ratio == Approx(expected).epsilon(0.15));
  }
}

TEST_CASE("attacks: the season factor multiplies the hazard", "[rules][attacks]") {
  test::RuleWorld rw;
  rw.parameters().attack_base_rate = 0.3;
  const auto d = rw.district("AFG-029");
  rw.set_pressure(d, 0.5);
  const double h1 = hazard(rw, rw.group("A"), d, 1.0);
  for (double season : {0.05, 0.7, 1.0, 1.6, 3.0}) {
    const double p = probability(h1 * season);
    INFO("S = " << season << ": attack probability " << p);
    CHECK(attacks_with(rw, d, {just_below(p), 0.0, 0.0, 0.0}, season));
    CHECK(!attacks_with(rw, d, {just_above(p), 0.0, 0.0, 0.0}, season));
  }
}

TEST_CASE("attacks: the attack's district is the cell's or a neighbour's, in proportion to opportunity",
          "[rules][attacks]") {
  // Nazyan (AFG-243), a neighbour of Achin, is made an urban centre: its share is reach x 6.
  test::RuleWorld rw("[districts]\nurban_centres = [\"AFG-243\"]\n");
  const auto d = rw.district("AFG-029");
  const auto nb = rw.world.geography->neighbours(d);
  REQUIRE(test::reach_opportunity(rw.world, d) == Approx(1.0 + 0.5 * (static_cast<double>(nb.size()) - 1 + 6.0)));
  for (std::size_t k = 0; k <= nb.size(); ++k) {
    const auto expected = k == 0 ? d : nb[k - 1];
    INFO("location " << k << ": " << rw.world.geography->district_id[expected]);
    const auto [lower, upper] = test::location_share(rw.world, d, k);
    for (double u : {k == 0 ? 0.0 : just_above(lower), test::location_uniform(rw.world, d, k), just_below(upper)}) {
      REQUIRE(attacks_with(rw, d, {0.0, u, 0.0, 0.0}));
      CHECK(rw.recorder.events[0].district == expected);
    }
  }
}

TEST_CASE("attacks: the Taliban target weight is the Taliban presence of the attack's district", "[rules][attacks]") {
  test::RuleWorld rw;
  auto& weights = rw.world.config.groups[rw.group("A")].target_weights;
  weights = {};
  weights[static_cast<std::size_t>(TargetClass::civilians)] = 1.0;
  weights[static_cast<std::size_t>(TargetClass::taliban)] = 1.0;
  const auto d = rw.district("AFG-029");
  const auto e = rw.world.geography->neighbours(d)[0];
  // The target draw 0.75 x (1 + T) falls in the civilians' share (< 1) when T = 0 and in the
  // Taliban's when T = 1.
  const auto target_of_attack_in = [&](std::size_t location) {
    REQUIRE(attacks_with(rw, d, {0.0, test::location_uniform(rw.world, d, location), 0.75, 0.0}));
    CHECK(rw.recorder.events[0].district == (location == 0 ? d : e));
    return rw.recorder.events[0].target;
  };
  rw.conditions.taliban_presence[d] = 0.0;
  rw.conditions.taliban_presence[e] = 1.0;
  CHECK(target_of_attack_in(1) == TargetClass::taliban);    // in e, where the Taliban are
  CHECK(target_of_attack_in(0) == TargetClass::civilians);  // from d, where they are not
  rw.conditions.taliban_presence[d] = 1.0;
  rw.conditions.taliban_presence[e] = 0.0;
  CHECK(target_of_attack_in(1) == TargetClass::civilians);
  CHECK(target_of_attack_in(0) == TargetClass::taliban);
  // Without Taliban and without other weights, civilians.
  weights[static_cast<std::size_t>(TargetClass::civilians)] = 0.0;
  rw.conditions.taliban_presence[d] = 0.0;
  CHECK(target_of_attack_in(0) == TargetClass::civilians);
}

TEST_CASE("attacks: inactive groups do not attack, and an attack costs its tactic's cost", "[rules][attacks]") {
  test::RuleWorld rw;
  const auto d = rw.district("AFG-029");
  auto& a = rw.world.config.groups[rw.group("A")];
  a.active_from = rw.world.day_number(1);
  CHECK(!attacks_with(rw, d, {0.0, 0.0, 0.0, 0.0}, 1.0, false));  // day 0 is before active_from
  a.active_from = rw.world.day_number(0);
  REQUIRE(attacks_with(rw, d, {0.0, 0.0, 0.0, 0.0}));
  CHECK(rw.recorder.events[0].tactic == Tactic::ied);
  CHECK(rw.state.cells.resources[0] == Approx(resources - rw.parameters().attack_cost_ied));
  a.attack_propensity = 0.0;
  CHECK(!attacks_with(rw, d, {0.0, 0.0, 0.0, 0.0}, 1.0, false));
}
