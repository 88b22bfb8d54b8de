// Joint attacks (model/rules/joint_attacks.cpp, ODD §7.8). For each operational tie of g active on
// the day, partner q is at hand from d with weight a_q = s(tie) x (1 if q has members in d,
// adjacent_weight if only in a neighbour, else 0); the operational support min(1, sum a_q)
// multiplies the attack hazard by (1 + capability_boost x support); an attack is joint with q with
// probability joint.probability x a_q (one uniform, partners in the order of the ties, scaled down
// if they sum above 1).
#include <catch2/catch.hpp>

#include <cmath>

#include "model/rules/rules.hpp"
#include "support/rule_fixture.hpp"
#include "support/scripted_draws.hpp"

using namespace iskabm;
using test::just_above;
using test::just_below;

namespace {

// A-B operational (high end) all year; A-C ideological and logistical all year, and operational
// (low end) in January-March only.
const std::string ties = R"(
[[alliance_tie]]
groups = ["A", "B"]
type = "operational"
quality = "high_end"
start = 2016-01-01
[[alliance_tie]]
groups = ["A", "C"]
type = "operational"
quality = "low_end"
start = 2016-01-01
end = 2016-03-31
[[alliance_tie]]
groups = ["A", "C"]
type = "ideological"
quality = "high_end"
start = 2016-01-01
[[alliance_tie]]
groups = ["C", "A"]
type = "logistical"
quality = "high_end"
start = 2016-01-01
)";

}  // namespace

TEST_CASE("joint_attacks: a partner is at hand only through an active operational tie", "[rules][joint_attacks]") {
  test::RuleWorld rw(ties);
  const auto a = rw.group("A"), b = rw.group("B"), c = rw.group("C");
  const auto d = rw.district("AFG-029"), neighbour = rw.district("AFG-243"), far = rw.district("AFG-187");
  const auto june = rw.world.day_number(rw.day_index({2016, 6, 1})),
             february = rw.world.day_number(rw.day_index({2016, 2, 1}));
  const double adjacent = rw.parameters().joint_adjacent_weight, low = rw.parameters().ties_low_end_strength;
  const double joint = rw.parameters().joint_probability;
  REQUIRE(adjacent == 0.4);
  REQUIRE(low == 0.4);
  REQUIRE(joint == 0.2);
  const auto support = [&](GroupIndex g, DayNumber day) {
    return rules::operational_support(rw.world, rw.state, g, d, day);
  };
  const auto partner = [&](DayNumber day, double u) {
    return rules::choose_joint_partner(rw.world, rw.state, a, d, day, u);
  };

  // Nobody near.
  rw.add_cell(b, far, 50);
  rw.add_cell(c, far, 50);
  rw.index();
  CHECK(support(a, june) == 0.0);
  CHECK(partner(june, 0.0) == -1);

  // C in d: tied to A ideologically and logistically, operationally only until March.
  rw.add_cell(c, d, 50);
  rw.index();
  CHECK(support(a, june) == 0.0);
  CHECK(partner(june, 0.0) == -1);
  CHECK(support(a, february) == Approx(low));
  CHECK(partner(february, just_below(joint * low)) == c);
  CHECK(partner(february, just_above(joint * low)) == -1);

  // B only in a neighbouring district: adjacent_weight.
  rw.add_cell(b, neighbour, 50);
  rw.index();
  CHECK(support(a, june) == Approx(adjacent));
  CHECK(partner(june, just_below(joint * adjacent)) == b);
  CHECK(partner(june, just_above(joint * adjacent)) == -1);

  // B in d: weight 1; the tie works both ways (A in d supports B); in February B and C are both at hand, tried in
  // the order of the ties, and the support is capped at 1.
  rw.add_cell(b, d, 50);
  rw.index();
  CHECK(support(b, june) == 0.0);  // no A in or next to d yet
  rw.add_cell(a, d, 50);
  rw.index();
  CHECK(support(a, june) == Approx(1.0));
  CHECK(support(b, june) == Approx(1.0));
  CHECK(support(c, june) == 0.0);
  CHECK(partner(june, just_below(joint)) == b);
  CHECK(partner(june, just_above(joint)) == -1);
  CHECK(support(a, february) == Approx(1.0));
  CHECK(partner(february, just_below(joint)) == b);
  CHECK(partner(february, just_above(joint)) == c);
  CHECK(partner(february, just_below(joint * (1 + low))) == c);
  CHECK(partner(february, just_above(joint * (1 + low))) == -1);
  // Partner probabilities above 1 in total are scaled down to 1.
  rw.parameters().joint_probability = 1.0;
  CHECK(partner(february, just_below(1.0 / (1.0 + low))) == b);
  CHECK(partner(february, just_above(1.0 / (1.0 + low))) == c);
  CHECK(partner(february, 0.99) == c);
}

TEST_CASE("joint_attacks: support at hand raises the attack hazard by (1 + boost x s), and names the partner",
          "[rules][joint_attacks]") {
  test::RuleWorld rw(ties);
  auto& p = rw.parameters();
  p.attack_base_rate = 0.2;
  const auto a = rw.group("A"), b = rw.group("B");
  const auto d = rw.district("AFG-029");
  const auto june = rw.day_index({2016, 6, 1});
  const auto attack = [&](bool partner_there, double u_attack, double u_joint) {
    test::ScriptedDraws script;
    script.uniforms(Purpose::attack, 99, {u_attack, 0.0, 0.0, 0.0});
    script.uniforms(Purpose::joint_attack, 99, {u_joint});
    rw.script = &script;
    rw.state.cells.count = 0;
    rw.recorder.events.clear();
    rw.add_cell(a, d, 50, 3000.0, 99);
    if (partner_there) rw.add_cell(b, d, 20, 0.0);  // B's own attack needs resources: it has none
    rw.index();
    rules::attacks(rw.world, rw.state, rw.recorder, rw.day(june));
    REQUIRE(script.scripted_blocks() >= 1);
    rw.script = nullptr;
    return rw.recorder.events.empty() ? -2 : rw.recorder.events[0].partner;
  };
  const double h_alone = p.attack_base_rate * 50.0 / (50.0 + p.attack_capability_half_members) * 3000.0 /
                         (3000.0 + p.attack_capability_half_resources) * test::reach_opportunity(rw.world, d);
  const double alone = -std::expm1(-h_alone), supported = -std::expm1(-h_alone * (1.0 + p.joint_capability_boost));
  REQUIRE(p.joint_capability_boost == 0.5);
  CHECK(attack(false, just_below(alone), 0.0) == -1);  // attacks, alone
  CHECK(attack(false, just_above(alone), 0.0) == -2);  // does not attack
  CHECK(attack(true, just_below(supported), 0.0) == b);
  CHECK(attack(true, just_above(supported), 0.0) == -2);
  CHECK(attack(true, 0.0, just_below(p.joint_probability)) == b);
  CHECK(attack(true, 0.0, just_above(p.joint_probability)) == -1);
}
