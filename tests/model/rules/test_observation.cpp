// Observation (model/rules/observation.cpp, ODD §7.9). An attack with F fatalities in district d
// is reported with probability
//   p_routine = logistic(intercept + fatality_slope ln(1 + F) + urban_effect urban_d
//                        + pakistan_effect [d in Pakistan]
//                        + year_trend (clamp(year, 2015, 2018) - 2017)   [v2: model.reporting]),
//   and in v2 p = 1 - (1 - p_routine)(1 - p_mass), p_mass = 1 / (1 + (half / F)^steepness) (the
//   mass-casualty channel; 0 without victims);
// a reported attack is claimed with probability claim_probability, a reported joint attack names
// its partner with probability joint_claim_probability. The observation stream draws, in order:
// reported, claimed, jointly claimed (uniforms, all three always).
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

double logistic(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// v1's probability (the routine channel without a year term).
double documented(const Parameters& p, int f, bool urban, bool pakistan) {
  return logistic(p.observation_intercept + p.observation_fatality_slope * std::log(1.0 + f) +
                  (urban ? p.observation_urban_effect : 0.0) + (pakistan ? p.observation_pakistan_effect : 0.0));
}
// v2's: the routine channel with its year term, or the mass-casualty channel.
double documented_v2(const Parameters& p, int f, bool urban, bool pakistan, int year) {
  const int y = year < 2015 ? 2015 : year > 2018 ? 2018 : year;
  const double routine =
      logistic(p.observation_intercept + p.observation_fatality_slope * std::log(1.0 + f) +
               (urban ? p.observation_urban_effect : 0.0) + (pakistan ? p.observation_pakistan_effect : 0.0) +
               p.observation_year_trend * (y - 2017));
  const double mass =
      f > 0 ? 1.0 / (1.0 + std::pow(p.observation_mass_casualty_half / f, p.observation_mass_casualty_steepness)) : 0.0;
  return 1.0 - (1.0 - routine) * (1.0 - mass);
}
const Mechanisms v2{};
const Mechanisms v1 = mechanisms_of_structure("v1");

rules::Observation observe_with(const test::RuleWorld& rw, int f, DistrictIndex d, bool joint,
                                const std::vector<double>& draws) {
  test::ScriptedDraws script;
  script.uniforms(Purpose::observation, 5, draws);
  RandomStream rng(rw.seed, rw.replicate, Purpose::observation, 0, 5, &script);
  const auto o = rules::observe(rw.world, f, d, joint, 2017, 1.0, rng);
  REQUIRE(script.scripted_blocks() == 1);
  return o;
}

}  // namespace

TEST_CASE("observation: the reporting probability rises with fatalities, in urban centres and with the Pakistan effect",
          "[rules][observation]") {
  test::RuleWorld rw;
  auto p = rw.parameters();
  p.observation_pakistan_effect = 0.7;
  REQUIRE(p.observation_fatality_slope > 0);
  REQUIRE(p.observation_urban_effect > 0);
  double last = 0;
  for (int f : {0, 1, 2, 5, 10, 50, 300}) {
    INFO(f << " fatalities");
    for (bool urban : {false, true})
      for (bool pakistan : {false, true})
        CHECK(rules::reporting_probability(p, v1, f, urban, pakistan, 2017) ==
              Approx(documented(p, f, urban, pakistan)));
    const double pr = rules::reporting_probability(p, v1, f, false, false, 2017);
    CHECK(pr > last);
    last = pr;
    CHECK(rules::reporting_probability(p, v1, f, true, false, 2017) > pr);
    CHECK(rules::reporting_probability(p, v1, f, false, true, 2017) > pr);
  }
  CHECK(rules::reporting_probability(p, v1, 0, false, false, 2017) == Approx(logistic(p.observation_intercept)));
}

TEST_CASE(
    "observation: v2's routine coverage moves by year_trend a year inside 2015-2018 and is flat outside, and "
    "mass-casualty attacks are reported whatever the year",
    "[rules][observation]") {
  test::RuleWorld rw;
  auto p = rw.parameters();
  p.observation_year_trend = 0.8;
  p.observation_mass_casualty_half = 10.0;
  p.observation_mass_casualty_steepness = 4.0;
  for (int year : {2012, 2014, 2015, 2016, 2017, 2018, 2019, 2025})
    for (int f : {0, 3, 20, 60}) {
      INFO(year << ", " << f << " killed");
      for (bool urban : {false, true})
        for (bool pakistan : {false, true})
          CHECK(rules::reporting_probability(p, v2, f, urban, pakistan, year) ==
                Approx(documented_v2(p, f, urban, pakistan, year)));
      // v1 has neither the year term nor the second channel.
      CHECK(rules::reporting_probability(p, v1, f, false, false, year) == Approx(documented(p, f, false, false)));
    }
  // 20 killed: at least 1 / (1 + 0.5^4) = 0.94 in any year and country; 2 killed hardly raised.
  for (int year : {2015, 2018})
    CHECK(rules::reporting_probability(p, v2, 20, false, true, year) >= 1.0 / (1.0 + 0.0625));
  // In 2017 (no year term) the channel adds at most 1 / (1 + 5^4) = 0.0016 to a 2-victim attack.
  CHECK(rules::reporting_probability(p, v2, 2, false, true, 2017) <
        rules::reporting_probability(p, v1, 2, false, true, 2017) + 0.0017);
  CHECK(rules::reporting_probability(p, v2, 2, false, true, 2017) >
        rules::reporting_probability(p, v1, 2, false, true, 2017));
  CHECK(rules::reporting_probability(p, v2, 0, false, false, 2017) == Approx(logistic(p.observation_intercept)));
  CHECK(rules::reporting_probability(p, v2, 3, false, false, 2018) >
        rules::reporting_probability(p, v2, 3, false, false, 2015));
  CHECK(rules::reporting_probability(p, v2, 3, false, false, 2025) ==
        rules::reporting_probability(p, v2, 3, false, false, 2018));
  CHECK(rules::reporting_probability(p, v2, 3, false, false, 2010) ==
        rules::reporting_probability(p, v2, 3, false, false, 2015));
}

TEST_CASE("observation: an attack is reported with that probability, and claimed only when reported",
          "[rules][observation]") {
  test::RuleWorld rw("[districts]\nurban_centres = [\"AFG-187\"]\n");
  auto& p = rw.parameters();
  p.observation_pakistan_effect = 0.7;
  const double claim = p.observation_claim_probability, joint_claim = p.observation_joint_claim_probability;
  for (const char* id : {"AFG-029", "AFG-187", "PAK15-050"}) {
    const auto d = rw.district(id);
    for (int f : {0, 4, 40}) {
      const double pr = documented(p, f, rw.world.config.urban[d] != 0, rw.country(d) == Country::pakistan);
      INFO(id << ", " << f << " fatalities: reported with probability " << pr);
      CHECK(observe_with(rw, f, d, false, {just_below(pr), 0.0, 0.0}).observed);
      CHECK(!observe_with(rw, f, d, false, {just_above(pr), 0.0, 0.0}).observed);
    }
  }
  const auto d = rw.district("AFG-029");
  // Unreported: neither claimed nor jointly claimed, whatever the claim draws.
  auto o = observe_with(rw, 3, d, true, {test::max_uniform, 0.0, 0.0});
  CHECK((!o.observed && !o.claimed && !o.joint_claimed));
  // Reported: claimed with claim_probability; a joint attack named with joint_claim_probability.
  o = observe_with(rw, 3, d, true, {0.0, just_below(claim), just_below(joint_claim)});
  CHECK((o.observed && o.claimed && o.joint_claimed));
  o = observe_with(rw, 3, d, true, {0.0, just_above(claim), just_above(joint_claim)});
  CHECK((o.observed && !o.claimed && !o.joint_claimed));
  o = observe_with(rw, 3, d, false, {0.0, 0.0, 0.0});  // a solo attack is never jointly claimed
  CHECK((o.observed && o.claimed && !o.joint_claimed));
}

TEST_CASE("observation: an attack is observed by the rule of the district it happens in", "[rules][observation]") {
  // A cell in Achin attacks in its neighbour Nazyan, an urban centre here: the report follows
  // Nazyan's urban effect, not Achin's.
  test::RuleWorld rw("[districts]\nurban_centres = [\"AFG-243\"]\n");
  const auto d = rw.district("AFG-029"), urban = rw.district("AFG-243");
  const auto nb = rw.world.geography->neighbours(d);
  const auto k = static_cast<std::size_t>(std::find(nb.begin(), nb.end(), urban) - nb.begin()) + 1;
  REQUIRE(k <= nb.size());
  const auto attack = [&](double u_observed) {
    test::ScriptedDraws script;
    script.uniforms(Purpose::attack, 77, {0.0, test::location_uniform(rw.world, d, k), 0.0, 0.0});
    script.uniforms(Purpose::observation, 77, {u_observed, 0.0, 0.0});
    rw.script = &script;
    rw.state.cells.count = 0;
    rw.recorder.events.clear();
    rw.add_cell(rw.group("A"), d, 50, 3000.0, 77);
    rw.index();
    rules::attacks(rw.world, rw.state, rw.recorder, rw.day(0));
    rw.script = nullptr;
    REQUIRE(rw.recorder.events.size() == 1);
    REQUIRE(rw.recorder.events[0].district == urban);
    return rw.recorder.events[0];
  };
  const int f = attack(0.0).fatalities;  // the same attack each time: only the observation draw changes
  const double pr = documented(rw.parameters(), f, true, false);
  REQUIRE(pr - documented(rw.parameters(), f, false, false) > 1e-3);  // Achin's rule would not report it
  const auto seen = attack(just_below(pr));
  CHECK(seen.fatalities == f);
  CHECK(seen.observed);
  CHECK(seen.claimed);
  CHECK(!attack(just_above(pr)).observed);
  CHECK(rw.metric(rw.group("A"), Country::afghanistan, GroupMetric::attacks_observed) == 2);
  CHECK(rw.metric(rw.group("A"), Country::afghanistan, GroupMetric::attacks) == 3);
}
