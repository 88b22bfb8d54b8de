// Group memory (model/rules/group_memory.cpp, ODD §7.12-7.14): self-excitation, capability and the
// state response, and how attacks.cpp and the pressure helpers use them.
//   mu_gc <- mu_gc a + branching (1 - a) n_gc,  a = exp(-1 / kernel_days)
//   E_g   <- E_g exp(-1 / memory_days) (1 - loss_weight lost_g / members_g) + n_g
//   R_p   <- R_p exp(-1 / duration_days), + level per attack with >= threshold killed in p
// A cell's attack hazard is h (1 + mu_gc / H_gc) (1 + gain E_g / (E_g + half)) where H_gc sums h
// over the group's cells in the country.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "model/rules/rules.hpp"
#include "support/rule_fixture.hpp"
#include "support/scripted_draws.hpp"

using namespace iskabm;
using test::just_above;
using test::just_below;

namespace {

Mechanisms only(bool Mechanisms::*field) {
  auto m = mechanisms_of_structure("v1");
  m.*field = true;
  return m;
}

std::size_t gc(GroupIndex g, Country c) { return g * country_count + static_cast<std::size_t>(c); }

}  // namespace

TEST_CASE("self-excitation: one attack triggers `branching` attacks in expectation, spread over the kernel",
          "[rules][memory]") {
  test::RuleWorld rw("", only(&Mechanisms::self_excitation));
  auto& p = rw.parameters();
  p.excitation_branching = 0.4;
  p.excitation_kernel_days = 21;
  const auto a = rw.group("A");
  auto& s = rw.state;
  s.attacks_today[gc(a, Country::afghanistan)] = 1;
  rules::update_group_memory(rw.world, s, rw.day(0));
  const double decay = std::exp(-1.0 / 21);
  CHECK(s.excitation[gc(a, Country::afghanistan)] == Approx(0.4 * (1 - decay)));
  CHECK(s.excitation[gc(a, Country::pakistan)] == 0.0);
  CHECK(s.attacks_today[gc(a, Country::afghanistan)] == 0);  // reset for the next day
  double total = s.excitation[gc(a, Country::afghanistan)], mean_delay = 0;
  for (int t = 1; t < 2000; ++t) {
    rules::update_group_memory(rw.world, s, rw.day(0));
    total += s.excitation[gc(a, Country::afghanistan)];
    mean_delay += t * s.excitation[gc(a, Country::afghanistan)];
  }
  CHECK(total == Approx(0.4).epsilon(1e-9));
  CHECK(mean_delay / total == Approx(1.0 / (1.0 - decay) - 1.0).epsilon(1e-6));  // ~ kernel_days

  SECTION("switched off, attacks leave no excitation") {
    test::RuleWorld v1;
    v1.state.attacks_today[gc(a, Country::afghanistan)] = 5;
    rules::update_group_memory(v1.world, v1.state, v1.day(0));
    CHECK(v1.state.excitation[gc(a, Country::afghanistan)] == 0.0);
  }
}

TEST_CASE(
    "self-excitation: the triggered intensity is shared by the group's cells in the country in proportion to "
    "their hazard",
    "[rules][memory]") {
  test::RuleWorld rw("", only(&Mechanisms::self_excitation));
  auto& p = rw.parameters();
  p.attack_base_rate = 0.05;
  const auto a = rw.group("A");
  const auto achin = rw.district("AFG-029"), kabul = rw.district("AFG-187"), khyber = rw.district("PAK15-050");
  rw.state.excitation[gc(a, Country::afghanistan)] = 0.3;
  const auto own_hazard = [&](double m, double r, DistrictIndex d) {
    return p.attack_base_rate * m / (m + p.attack_capability_half_members) * r /
           (r + p.attack_capability_half_resources) * test::reach_opportunity(rw.world, d);
  };
  const double h1 = own_hazard(50, 3000, achin), h2 = own_hazard(20, 1000, kabul), h3 = own_hazard(40, 2000, khyber);
  const double H = h1 + h2;  // the Afghan cells
  const double p1 = -std::expm1(-h1 * (1 + 0.3 / H)), p2 = -std::expm1(-h2 * (1 + 0.3 / H)), p3 = -std::expm1(-h3);
  const auto run = [&](double u1, double u2, double u3) {
    test::ScriptedDraws script;
    rw.script = &script;
    rw.state.cells.count = 0;
    rw.recorder.events.clear();
    const auto c1 = rw.add_cell(a, achin, 50, 3000), c2 = rw.add_cell(a, kabul, 20, 1000),
               c3 = rw.add_cell(a, khyber, 40, 2000);
    script.uniforms(Purpose::attack, rw.uid(c1), {u1, 0.0, 0.0, 0.0});
    script.uniforms(Purpose::attack, rw.uid(c2), {u2, 0.0, 0.0, 0.0});
    script.uniforms(Purpose::attack, rw.uid(c3), {u3, 0.0, 0.0, 0.0});
    rw.index();
    rules::attacks(rw.world, rw.state, rw.recorder, rw.day(0));
    rw.script = nullptr;
    return rw.recorder.events.size();
  };
  CHECK(run(just_below(p1), just_below(p2), just_below(p3)) == 3);
  CHECK(run(just_above(p1), just_below(p2), just_below(p3)) == 2);
  CHECK(run(just_below(p1), just_above(p2), just_below(p3)) == 2);
  CHECK(run(just_below(p1), just_below(p2), just_above(p3)) == 2);  // Pakistan is not excited
  // The expected triggered attacks of the day are the intensity (to first order in h).
  CHECK(h1 * 0.3 / H + h2 * 0.3 / H == Approx(0.3));
  // Attacks are counted by group and country of their location (until the day-end update).
  std::fill(rw.state.attacks_today.begin(), rw.state.attacks_today.end(), 0);
  run(0.0, 0.0, 0.0);
  CHECK(rw.state.attacks_today[gc(a, Country::afghanistan)] == 2);
  CHECK(rw.state.attacks_today[gc(a, Country::pakistan)] == 1);
}

TEST_CASE(
    "capability: experience grows with attacks, fades, is lost with members by loss_weight, and raises the hazard",
    "[rules][memory]") {
  test::RuleWorld rw("", only(&Mechanisms::capability));
  auto& p = rw.parameters();
  p.capability_memory_days = 100;
  p.capability_gain = 2.0;
  p.capability_half_attacks = 10;
  p.capability_loss_weight = 1.0;  // model v2's first choice: experience dies with the members
  const auto a = rw.group("A");
  auto& s = rw.state;
  rw.add_cell(a, rw.district("AFG-029"), 80);
  rw.add_cell(a, rw.district("PAK15-050"), 20);
  rw.index();
  s.experience[a] = 6.0;
  s.attacks_today[gc(a, Country::afghanistan)] = 2;
  s.attacks_today[gc(a, Country::pakistan)] = 1;
  s.members_lost_today[a] = 25;  // a quarter of the 100 members
  rules::update_group_memory(rw.world, s, rw.day(0));
  CHECK(s.experience[a] == Approx(6.0 * std::exp(-0.01) * 0.75 + 3));
  CHECK(s.members_lost_today[a] == 0);
  // capability.loss_weight: experience loses that share of the members' share lost.
  p.capability_loss_weight = 0.4;
  s.experience[a] = 6.0;
  s.attacks_today[gc(a, Country::afghanistan)] = 3;
  s.members_lost_today[a] = 25;
  rules::update_group_memory(rw.world, s, rw.day(0));
  CHECK(s.experience[a] == Approx(6.0 * std::exp(-0.01) * (1 - 0.4 * 0.25) + 3));
  // The default, 0: know-how is kept whatever the members lost; it only fades.
  p.capability_loss_weight = 0.0;
  s.experience[a] = 6.0;
  s.attacks_today[gc(a, Country::afghanistan)] = 3;
  s.members_lost_today[a] = 25;
  rules::update_group_memory(rw.world, s, rw.day(0));
  CHECK(s.experience[a] == Approx(6.0 * std::exp(-0.01) + 3));

  // The hazard multiplier 1 + gain E / (E + half).
  p.attack_base_rate = 0.05;
  s.experience[a] = 10.0;  // half the gain: x 2
  const double m = 50, r = 3000;
  const double h = p.attack_base_rate * m / (m + p.attack_capability_half_members) * r /
                   (r + p.attack_capability_half_resources) *
                   test::reach_opportunity(rw.world, rw.district("AFG-029")) * 2.0;
  const double pr = -std::expm1(-h);
  for (bool below : {true, false}) {
    test::ScriptedDraws script;
    rw.script = &script;
    s.cells.count = 0;
    rw.recorder.events.clear();
    const auto c = rw.add_cell(a, rw.district("AFG-029"), 50, 3000);
    script.uniforms(Purpose::attack, rw.uid(c), {below ? just_below(pr) : just_above(pr), 0.0, 0.0, 0.0});
    rw.index();
    rules::attacks(rw.world, s, rw.recorder, rw.day(0));
    rw.script = nullptr;
    CHECK(rw.recorder.events.size() == (below ? 1u : 0u));
  }
}

TEST_CASE("capability: experience raises the median fatalities by 1 + lethality_gain E / (E + half)",
          "[rules][memory]") {
  test::RuleWorld rw("", only(&Mechanisms::capability));
  auto& p = rw.parameters();
  p.capability_half_attacks = 10;
  p.capability_lethality_gain = 3.0;
  p.fatalities_ied_median = 20;  // group A uses IEDs only
  p.fatalities_ied_sigma = 0.05;
  p.attack_base_rate = 0.5;
  const auto a = rw.group("A");
  const auto d = rw.district("AFG-029");  // rural: no urban factor
  for (const double experience : {0.0, 10.0, 30.0}) {
    rw.state.experience[a] = experience;
    rw.state.cells.count = 0;
    rw.recorder.events.clear();
    for (int i = 0; i < 400; ++i) rw.add_cell(a, d, 50, 3000);
    rw.index();
    rules::attacks(rw.world, rw.state, rw.recorder, rw.day(0));
    REQUIRE(rw.recorder.events.size() > 50);
    const double expected = 20.0 * (1.0 + 3.0 * experience / (experience + 10.0));
    for (const auto& e : rw.recorder.events) {
      INFO("experience " << experience << ": " << e.fatalities << " killed, median " << expected);
      CHECK(std::abs(e.fatalities - expected) <= 0.25 * expected + 1);  // sigma 0.05: within 20 %
    }
  }
}

TEST_CASE(
    "state response: a mass-casualty attack raises its province's pressure, which decays and acts like "
    "counter-terrorism pressure",
    "[rules][memory]") {
  test::RuleWorld rw("", only(&Mechanisms::state_response));
  auto& p = rw.parameters();
  p.response_threshold = 10;
  p.response_level = 0.5;
  p.response_duration_days = 30;
  p.response_kill_weight = 1.5;
  p.response_capture_weight = 2.0;
  auto& s = rw.state;
  const auto& geo = *rw.world.geography;
  const auto kabul = rw.district("AFG-187"), nangarhar = rw.district("AFG-029");
  rules::respond_to_attack(rw.world, s, kabul, 9);  // below the threshold
  CHECK(s.response[geo.province[kabul]] == 0.0);
  rules::respond_to_attack(rw.world, s, kabul, 10);
  rules::respond_to_attack(rw.world, s, kabul, 60);
  CHECK(s.response[geo.province[kabul]] == Approx(1.0));
  CHECK(rules::response_pressure(s, kabul) == 0.0);  // acts from the next day
  rules::update_group_memory(rw.world, s, rw.day(0));
  const double level = std::exp(-1.0 / 30);
  for (auto d : geo.districts_of_province(geo.province[kabul])) CHECK(rules::response_pressure(s, d) == Approx(level));
  CHECK(rules::response_pressure(s, nangarhar) == 0.0);
  rw.set_pressure(kabul, 0.2, 0.3, 0.4);
  const auto day = rw.day(1);
  CHECK(rules::total_pressure(s, day, kabul) == Approx(0.2 + level));
  CHECK(rules::kill_pressure(p, s, day, kabul) == Approx(0.3 + 1.5 * level));
  CHECK(rules::capture_pressure(p, s, day, kabul) == Approx(0.4 + 2.0 * level));
  for (int t = 0; t < 29; ++t) rules::update_group_memory(rw.world, s, rw.day(0));
  CHECK(rules::response_pressure(s, kabul) == Approx(std::exp(-1.0)));  // e-folding after `duration` days

  SECTION("switched off, no attack raises pressure") {
    test::RuleWorld v1;
    rules::respond_to_attack(v1.world, v1.state, kabul, 500);
    CHECK(v1.state.response[geo.province[kabul]] == 0.0);
  }
}
