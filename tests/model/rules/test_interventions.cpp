// Interventions (ODD §7.10; model/rules/interventions.cpp, model/world.cpp): those that act once
// on their start day (losses, decapitation; reinforcement is in test_initialisation.cpp) and the
// two that scale a rule over their window (reporting, network), read from scenario text.
#include <catch2/catch.hpp>

#include <cmath>

#include "model/rules/rules.hpp"
#include "support/rule_fixture.hpp"

using namespace iskabm;

TEST_CASE("interventions: losses remove a fraction of the named groups' members in the area, on the start day",
          "[rules][interventions]") {
  test::RuleWorld rw(R"(
[[intervention]]
kind = "losses"
label = "mass surrender in Nangarhar"
groups = ["A", "C"]
provinces = ["Nangarhar"]
fraction = 0.6
as = "surrendered"
start = 2016-11-15
)");
  const auto a = rw.group("A"), b = rw.group("B"), c = rw.group("C");
  const auto achin = rw.district("AFG-029"), kabul = rw.district("AFG-187");
  const auto a1 = rw.add_cell(a, achin, 25), a2 = rw.add_cell(a, achin, 1), a3 = rw.add_cell(a, kabul, 40);
  const auto b1 = rw.add_cell(b, achin, 30), c1 = rw.add_cell(c, achin, 10);
  const auto day = rw.day_index({2016, 11, 15});
  rules::apply_due_interventions(rw.world, rw.state, rw.recorder, rw.day(day - 1));
  CHECK(rw.state.cells.members[a1] == 25);
  rules::apply_due_interventions(rw.world, rw.state, rw.recorder, rw.day(day));
  const auto& m = rw.state.cells.members;
  CHECK(m[a1] == 10);  // 25 - round(15)
  CHECK(m[a2] == 0);   // 1 - round(0.6): the cell is emptied (removed at the day's end)
  CHECK(m[a3] == 40);  // Kabul is outside the area
  CHECK(m[b1] == 30);  // B is not named
  CHECK(m[c1] == 4);
  CHECK(rw.metric(a, Country::afghanistan, GroupMetric::surrendered, 10) == 16);  // November
  CHECK(rw.metric(c, Country::afghanistan, GroupMetric::surrendered, 10) == 6);
  CHECK(rw.metric_total(a, GroupMetric::killed) == 0);
  CHECK(rw.state.cells.alive[a2] == 0);  // an emptied cell is dissolved at once: no walk-in recruit revives it
  CHECK(rw.state.cells.alive[a1] == 1);
  rules::apply_due_interventions(rw.world, rw.state, rw.recorder, rw.day(day + 1));
  CHECK(m[a1] == 10);  // once only
}

TEST_CASE("interventions: losses can count as killed or captured, and fraction 1 dismantles a group",
          "[rules][interventions]") {
  test::RuleWorld rw(R"(
[[intervention]]
kind = "losses"
groups = ["B"]
countries = ["Afghanistan", "Pakistan"]
fraction = 1.0
as = "killed"
start = 2016-01-01
)");
  const auto b = rw.group("B");
  const auto s1 = rw.add_cell(b, rw.district("PAK15-050"), 33), s2 = rw.add_cell(b, rw.district("AFG-029"), 7);
  rules::apply_due_interventions(rw.world, rw.state, rw.recorder, rw.day(0));
  CHECK(rw.state.cells.members[s1] == 0);
  CHECK(rw.state.cells.members[s2] == 0);
  CHECK(rw.metric(b, Country::pakistan, GroupMetric::killed, 0) == 33);
  CHECK(rw.metric(b, Country::afghanistan, GroupMetric::killed, 0) == 7);
  CHECK(rw.metric_total(b, GroupMetric::surrendered) == 0);
}

TEST_CASE("interventions: with capability, losses cost experience in proportion to the members before the loss",
          "[rules][interventions]") {
  auto mechanisms = mechanisms_of_structure("v1");
  mechanisms.capability = true;
  test::RuleWorld rw(R"(
[[intervention]]
kind = "losses"
groups = ["A"]
districts = ["AFG-029"]
fraction = 0.5
start = 2016-01-01
)",
                     mechanisms);
  const auto a = rw.group("A");
  rw.parameters().capability_loss_weight = 0.5;
  rw.add_cell(a, rw.district("AFG-029"), 40);
  rw.add_cell(a, rw.district("AFG-187"), 60);  // outside the area: counts in the members before
  rw.state.experience[a] = 100;
  rules::apply_due_interventions(rw.world, rw.state, rw.recorder, rw.day(0));
  CHECK(rw.state.experience[a] == Approx(100 * (1 - 0.5 * 20.0 / 100)));
  CHECK(rw.state.members_lost_today[a] == 0);  // not counted again at the day's end
}

TEST_CASE("interventions: decapitation cuts the groups' experience and self-excitation by the fraction",
          "[rules][interventions]") {
  test::RuleWorld rw(R"(
[[intervention]]
kind = "decapitation"
label = "leaders arrested"
groups = ["A"]
fraction = 0.75
start = 2016-04-04
)");
  const auto a = rw.group("A"), b = rw.group("B");
  auto& s = rw.state;
  s.experience[a] = 40, s.experience[b] = 40;
  s.excitation[a * country_count + 0] = 2, s.excitation[a * country_count + 1] = 1;
  s.excitation[b * country_count + 0] = 2;
  rules::apply_due_interventions(rw.world, s, rw.recorder, rw.day(rw.day_index({2016, 4, 4})));
  CHECK(s.experience[a] == Approx(10));
  CHECK(s.experience[b] == 40);
  CHECK(s.excitation[a * country_count + 0] == Approx(0.5));
  CHECK(s.excitation[a * country_count + 1] == Approx(0.25));
  CHECK(s.excitation[b * country_count + 0] == 2);
}

TEST_CASE("interventions: reporting and network scale their area's districts over their window only",
          "[rules][interventions]") {
  test::RuleWorld rw(R"(
[[intervention]]
kind = "reporting"
label = "the record after the fall of the republic"
countries = ["Afghanistan"]
multiplier = 0.5
start = 2016-03-01
end = 2016-06-30

[[intervention]]
kind = "network"
label = "Kabul and Jalalabad networks disrupted"
districts = ["AFG-187", "AFG-195"]
multiplier = 0.2
start = 2016-05-01
)");
  const auto& w = rw.world;
  const auto kabul = rw.district("AFG-187"), jalalabad = rw.district("AFG-195"), quetta = rw.district("PAK15-036");
  const auto at = [&](CivilDate date) -> const DayConditions& {
    return w.conditions[w.conditions_of_day[rw.day_index(date)]];
  };
  CHECK(at({2016, 2, 29}).reporting[kabul] == 1.0);
  CHECK(at({2016, 3, 1}).reporting[kabul] == 0.5);
  CHECK(at({2016, 3, 1}).reporting[quetta] == 1.0);
  CHECK(at({2016, 7, 1}).reporting[kabul] == 1.0);
  CHECK(at({2016, 4, 30}).network[jalalabad] == 1.0);
  CHECK(at({2016, 5, 1}).network[jalalabad] == Approx(0.2));
  CHECK(at({2016, 5, 1}).network[kabul] == Approx(0.2));
  CHECK(at({2016, 12, 31}).network[kabul] == Approx(0.2));
  CHECK(at({2016, 5, 1}).network[quetta] == 1.0);

  // Reporting 0 hides every attack; the multiplier never lifts a probability above 1.
  RandomStream rng(1, 0, Purpose::observation, 0, 0);
  for (int k = 0; k < 200; ++k) CHECK_FALSE(rules::observe(w, 50, kabul, false, 2016, 0.0, rng).observed);
  rw.parameters().observation_intercept = 50;  // p = 1 before the multiplier
  int seen = 0;
  for (int k = 0; k < 200; ++k) seen += rules::observe(rw.world, 0, kabul, false, 2016, 3.0, rng).observed;
  CHECK(seen == 200);
}
