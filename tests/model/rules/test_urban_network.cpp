// Urban network reach (model.urban_network; model/world.cpp, model/rules/attacks.cpp, ODD §7.7).
// A cell in d reaches, beyond its own district and neighbours, every urban centre u that is
// neither d nor a neighbour and lies within 4 x network.decay_km (centroid to centroid), with
// weight network.reach x O_u x exp(-km / decay) x (1 + safe_house_factor if the group or a group
// it has an active logistical or operational tie with has members in u). These weights add to
// the cell's opportunity (its hazard) and the location draw picks a centre past the local table.
#include <catch2/catch.hpp>

#include <cmath>

#include "model/rules/rules.hpp"
#include "support/rule_fixture.hpp"
#include "support/scripted_draws.hpp"

using namespace iskabm;
using test::just_above;
using test::just_below;

namespace {

Mechanisms network_only() {
  auto m = mechanisms_of_structure("v1");
  m.urban_network = true;
  return m;
}

constexpr double members = 50, resources = 3000;

}  // namespace

TEST_CASE("urban network: each district reaches the urban centres beyond its neighbours within 4 decay lengths",
          "[rules][network]") {
  test::RuleWorld rw("[districts]\nurban_centres = [\"AFG-187\", \"AFG-195\", \"PAK15-036\", \"PAK15-082\"]\n",
                     network_only());
  const auto& w = rw.world;
  const auto& geo = *w.geography;
  const auto& p = w.config.parameters;
  REQUIRE(w.network_offset.size() == w.districts() + 1);
  std::size_t reached = 0;
  for (DistrictIndex d = 0; d < w.districts(); ++d) {
    std::vector<std::pair<DistrictIndex, double>> expected;
    for (const char* id : {"AFG-187", "AFG-195", "PAK15-036", "PAK15-082"}) {
      const auto u = rw.district(id);
      const auto nb = geo.neighbours(d);
      if (u == d || std::find(nb.begin(), nb.end(), u) != nb.end()) continue;
      const double distance = test::haversine_km(geo, d, u);
      if (distance > 4 * p.network_decay_km) continue;
      expected.emplace_back(u, p.network_reach * p.attack_urban_opportunity * std::exp(-distance / p.network_decay_km));
    }
    INFO(geo.district_id[d]);
    REQUIRE(w.network_offset[d + 1] - w.network_offset[d] == expected.size());
    for (std::size_t k = 0; k < expected.size(); ++k) {
      CHECK(w.network_target[w.network_offset[d] + k] == expected[k].first);
      CHECK(w.network_weight[w.network_offset[d] + k] == Approx(expected[k].second).epsilon(1e-9));
    }
    reached += !expected.empty();
  }
  CHECK(reached > 50);
  // Achin reaches Jalalabad (not a neighbour, ~60 km) and Kabul; Quetta is far out of reach.
  const auto achin = rw.district("AFG-029");
  bool jalalabad = false, quetta = false;
  for (auto k = w.network_offset[achin]; k < w.network_offset[achin + 1]; ++k) {
    jalalabad |= w.network_target[k] == rw.district("AFG-195");
    quetta |= w.network_target[k] == rw.district("PAK15-036");
  }
  CHECK(jalalabad);
  CHECK(!quetta);

  SECTION("switched off, nobody reaches beyond adjacency") {
    test::RuleWorld v1("[districts]\nurban_centres = [\"AFG-187\", \"AFG-195\"]\n");
    CHECK(v1.world.network_target.empty());
    CHECK(v1.world.network_offset.back() == 0);
  }
}

TEST_CASE("urban network: a centre's share of the location draw and of the hazard, with and without a safe house",
          "[rules][network]") {
  // Jalalabad the only urban centre; A and B have an operational tie (B's cells are safe houses).
  test::RuleWorld rw(
      "[districts]\nurban_centres = [\"AFG-195\"]\n[[alliance_tie]]\ngroups = [\"A\", \"B\"]\ntype = "
      "\"operational\"\nquality = \"low_end\"\nstart = 2016-01-01\n",
      network_only());
  auto& p = rw.parameters();
  p.attack_base_rate = 0.2;
  p.joint_probability = 0.0;
  const auto& w = rw.world;
  const auto achin = rw.district("AFG-029"), jalalabad = rw.district("AFG-195");
  REQUIRE(w.network_offset[achin + 1] - w.network_offset[achin] == 1);
  const double reach_weight = w.network_weight[w.network_offset[achin]];
  const double local = test::reach_opportunity(w, achin);

  for (bool safe_house : {false, true}) {
    INFO((safe_house ? "with" : "without") << " a safe house");
    const double centre = reach_weight * (safe_house ? 1.0 + p.network_safe_house_factor : 1.0);
    const double opportunity = local + centre;
    const double h = p.attack_base_rate * members / (members + p.attack_capability_half_members) * resources /
                     (resources + p.attack_capability_half_resources) * opportunity;  // B is not at hand in Achin
    const auto attack = [&](double decision, double location) {
      test::ScriptedDraws script;
      rw.script = &script;
      rw.state.cells.count = 0;
      rw.recorder.events.clear();
      const auto slot = rw.add_cell(rw.group("A"), achin, static_cast<std::int32_t>(members), resources);
      if (safe_house) rw.add_cell(rw.group("B"), jalalabad, 10);
      script.uniforms(Purpose::attack, rw.uid(slot), {decision, location, 0.0, 0.0});
      rw.index();
      rules::attacks(rw.world, rw.state, rw.recorder, rw.day(0));
      rw.script = nullptr;
      return rw.recorder.events;
    };
    const double pr = -std::expm1(-h);
    CHECK(attack(just_below(pr), 0.0).size() == 1);
    CHECK(attack(just_above(pr), 0.0).empty());
    // The draw past local / opportunity lands in Jalalabad; just before it, in the cell's last neighbour.
    const auto into_centre = attack(0.0, just_above(local / opportunity));
    REQUIRE(into_centre.size() == 1);
    CHECK(into_centre[0].district == jalalabad);
    const auto before = attack(0.0, just_below(local / opportunity));
    REQUIRE(before.size() == 1);
    CHECK(before[0].district == w.geography->neighbours(achin).back());
  }
}
