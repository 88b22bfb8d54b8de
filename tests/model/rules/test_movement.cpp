// Movement (model/rules/movement.cpp, ODD §7.4). A cell in d moves with probability
// min(1, base_rate + pressure_rate x P_d) to a neighbour e drawn with weight
//   exp(-aversion x P_e) x x_e x (1 + cohesion x n_e),
// x_e = cross_border_permeability x border (x safe_passage_factor with an active logistical tie)
// across the border, else 1; n_e = 1 where the group or a logistically tied ally has members.
// The movement stream of a cell draws, in order: the decision, the destination (uniforms).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>
#include <vector>

#include "model/rules/rules.hpp"
#include "support/rule_fixture.hpp"
#include "support/scripted_draws.hpp"

using namespace iskabm;
using test::just_above;
using test::just_below;

namespace {

// The documented destination weights of a cell in d. `friendly`: the groups whose members make a
// neighbour cohesive (the cell's group and its logistical allies); `logistical`: the cell's group
// has an active logistical tie.
std::vector<double> weights(const test::RuleWorld& rw, DistrictIndex d, bool logistical,
                            std::initializer_list<GroupIndex> friendly) {
  const auto& p = rw.world.config.parameters;
  const auto& geo = *rw.world.geography;
  const auto nb = geo.neighbours(d);
  std::vector<double> w;
  for (std::size_t k = 0; k < nb.size(); ++k) {
    bool network = false;
    const auto& c = rw.state.cells;
    for (std::size_t i = 0; i < c.count; ++i)
      network |= c.alive[i] && c.members[i] > 0 && c.district[i] == nb[k] &&
                 std::find(friendly.begin(), friendly.end(), c.group[i]) != friendly.end();
    const bool across = geo.country[nb[k]] != geo.country[d];
    w.push_back(std::exp(-p.movement_pressure_aversion * rw.conditions.total[nb[k]]) *
                (across ? p.movement_cross_border_permeability * rw.conditions.border *
                              (logistical ? p.movement_safe_passage_factor : 1.0)
                        : 1.0) *
                (network ? 1.0 + p.movement_cohesion : 1.0));
  }
  return w;
}

// Neighbour k's share [lower, upper) of the destination draw, and the uniform in its middle.
std::pair<double, double> share_of(const std::vector<double>& w, std::size_t k) {
  double total = 0, before = 0;
  for (std::size_t j = 0; j < w.size(); ++j) total += w[j], before += j < k ? w[j] : 0.0;
  return {before / total, (before + w[k]) / total};
}
double middle_of(const std::vector<double>& w, std::size_t k) {
  const auto [lower, upper] = share_of(w, k);
  return 0.5 * (lower + upper);
}

// Moves the cell in `slot` (only it: the others are scripted to stay) with these two draws;
// returns where it went.
DistrictIndex move_with(test::RuleWorld& rw, std::size_t slot, double decision, double destination) {
  test::ScriptedDraws script;
  script.uniforms(Purpose::movement, test::ScriptedDraws::any, {test::max_uniform});
  script.uniforms(Purpose::movement, rw.uid(slot), {decision, destination});
  rw.script = &script;
  rw.index();
  rules::movement(rw.world, rw.state, rw.recorder, rw.day(0));
  rw.script = nullptr;
  return rw.state.cells.district[slot];
}

}  // namespace

TEST_CASE("movement: a cell moves with probability min(1, base + rate P_d)", "[rules][movement]") {
  test::RuleWorld rw;
  rw.parameters().movement_base_rate = 0.01;
  rw.parameters().movement_pressure_rate = 0.05;
  const auto d = rw.district("AFG-029");
  const auto slot = rw.add_cell(rw.group("A"), d, 30);
  for (double P : {0.0, 2.0, 10.0}) {
    rw.set_pressure(d, P);
    const double p = 0.01 + 0.05 * P;
    INFO("P = " << P);
    rw.state.cells.district[slot] = d;
    CHECK(move_with(rw, slot, just_below(p), 0.5) != d);
    rw.state.cells.district[slot] = d;
    CHECK(move_with(rw, slot, just_above(p), 0.5) == d);
  }
  rw.set_pressure(d, 100.0);  // capped at 1: even the largest uniform moves
  rw.state.cells.district[slot] = d;
  CHECK(move_with(rw, slot, test::max_uniform, 0.5) != d);
}

TEST_CASE("movement: cells flee pressure: a neighbour is drawn with weight exp(-aversion P_e)", "[rules][movement]") {
  test::RuleWorld rw;
  const auto d = rw.district("AFG-029");
  const auto nb = rw.world.geography->neighbours(d);
  REQUIRE(nb.size() >= 4);
  const double pressure[] = {0.0, 2.0, 0.5, 3.0, 1.0, 0.0, 0.2, 0.0};
  for (std::size_t k = 0; k < nb.size(); ++k) rw.set_pressure(nb[k], pressure[k % 8]);
  rw.set_pressure(d, 1.0);
  const auto a = rw.group("A");

  SECTION("each neighbour's share of the destination draw") {
    const auto slot = rw.add_cell(a, d, 30);
    const auto w = weights(rw, d, false, {a});
    for (std::size_t k = 0; k < nb.size(); ++k) {
      INFO("neighbour " << k << " " << rw.world.geography->district_id[nb[k]] << ", P = " << pressure[k % 8]);
      const auto [lower, upper] = share_of(w, k);
      for (double u : {k == 0 ? 0.0 : just_above(lower), middle_of(w, k), just_below(upper)}) {
        rw.state.cells.district[slot] = d;
        CHECK(move_with(rw, slot, 0.0, u) == nb[k]);
      }
    }
  }

  SECTION("where many cells go, members conserved") {
    constexpr int n = 6000;
    long before = 0;
    for (int i = 0; i < n; ++i) before += rw.state.cells.members[rw.add_cell(a, d, 5 + i % 20)];
    const auto w = weights(rw, d, false, {a});  // no cells in the neighbours yet
    double total = 0;
    for (double x : w) total += x;
    test::ScriptedDraws script;  // every cell moves; destinations drawn from the real streams
    script.uniforms(Purpose::movement, test::ScriptedDraws::any, {0.0});
    rw.script = &script;
    rw.index();
    rules::movement(rw.world, rw.state, rw.recorder, rw.day(0));
    std::map<DistrictIndex, double> arrived;
    long after = 0;
    for (std::size_t i = 0; i < rw.state.cells.count; ++i) {
      arrived[rw.state.cells.district[i]] += 1;
      after += rw.state.cells.members[i];
    }
    CHECK(after == before);
    CHECK(arrived.size() <= nb.size());
    CHECK(!arrived.contains(d));
    for (std::size_t k = 0; k < nb.size(); ++k) {
      const double q = w[k] / total;
      INFO("neighbour " << k << ", P = " << pressure[k % 8] << ": " << arrived[nb[k]] << " cells, expected " << n * q);
      CHECK(std::abs(arrived[nb[k]] - n * q) <= 4.5 * std::sqrt(n * q * (1 - q)));
    }
    // The quietest neighbours receive more cells than the most pressed one.
    CHECK(arrived[nb[3]] < arrived[nb[0]]);
    CHECK(arrived[nb[1]] < arrived[nb[2]]);
  }
}

TEST_CASE("movement: cross-border moves are counted in the destination country", "[rules][movement]") {
  test::RuleWorld rw;
  const auto afg = rw.district("AFG-029"), pak = rw.district("PAK15-050");
  const auto a = rw.group("A");
  const auto nb = rw.world.geography->neighbours(afg);
  const auto k = static_cast<std::size_t>(std::find(nb.begin(), nb.end(), pak) - nb.begin());
  REQUIRE(k < nb.size());
  const auto slot = rw.add_cell(a, afg, 30);
  CHECK(move_with(rw, slot, 0.0, middle_of(weights(rw, afg, false, {a}), k)) == pak);
  CHECK(rw.metric(a, Country::pakistan, GroupMetric::cross_border_moves) == 1);
  CHECK(rw.metric(a, Country::afghanistan, GroupMetric::cross_border_moves) == 0);
  // And back: counted in Afghanistan.
  const auto back = rw.world.geography->neighbours(pak);
  const auto j = static_cast<std::size_t>(std::find(back.begin(), back.end(), afg) - back.begin());
  REQUIRE(j < back.size());
  CHECK(move_with(rw, slot, 0.0, middle_of(weights(rw, pak, false, {a}), j)) == afg);
  CHECK(rw.metric(a, Country::pakistan, GroupMetric::cross_border_moves) == 1);
  CHECK(rw.metric(a, Country::afghanistan, GroupMetric::cross_border_moves) == 1);
  // A move within a country is not counted.
  const auto inside = k == 0 ? 1u : 0u;
  CHECK(move_with(rw, slot, 0.0, middle_of(weights(rw, afg, false, {a}), inside)) == nb[inside]);
  CHECK(rw.metric_total(a, GroupMetric::cross_border_moves) == 2);
}

TEST_CASE("movement: a border multiplier of 0 seals the border", "[rules][movement]") {
  test::RuleWorld rw;
  const auto afg = rw.district("AFG-029"), pak = rw.district("PAK15-050");
  const auto a = rw.group("A");
  const auto nb = rw.world.geography->neighbours(afg);
  const auto k = static_cast<std::size_t>(std::find(nb.begin(), nb.end(), pak) - nb.begin());
  REQUIRE(k < nb.size());
  // Half-open border: the cross-border share halves.
  rw.conditions.border = 0.5;
  const auto slot = rw.add_cell(a, afg, 30);
  const auto half = weights(rw, afg, false, {a});
  REQUIRE(half[k] == Approx(0.25));  // permeability 0.5 x border 0.5
  CHECK(move_with(rw, slot, 0.0, middle_of(half, k)) == pak);
  // Sealed: the draw that would have crossed stays in Afghanistan, and so do many cells.
  rw.conditions.border = 0.0;
  rw.state.cells.district[slot] = afg;
  const auto to = move_with(rw, slot, 0.0, middle_of(half, k));
  CHECK(rw.world.geography->country[to] == Country::afghanistan);
  for (int i = 0; i < 3000; ++i) rw.add_cell(a, afg, 10);
  test::ScriptedDraws script;
  script.uniforms(Purpose::movement, test::ScriptedDraws::any, {0.0});
  rw.script = &script;
  rw.index();
  rules::movement(rw.world, rw.state, rw.recorder, rw.day(0));
  std::size_t crossed = 0;
  for (std::size_t i = 0; i < rw.state.cells.count; ++i) crossed += rw.state.cells.district[i] == pak;
  CHECK(crossed == 0);
  CHECK(rw.metric(a, Country::pakistan, GroupMetric::cross_border_moves) == 1);  // the half-open crossing only
}

TEST_CASE("movement: cells are drawn to their group and logistical allies, which also ease crossings",
          "[rules][movement]") {
  // A and B are logistically tied; C is not tied to A.
  test::RuleWorld rw(
      "[[alliance_tie]]\ngroups = [\"A\", \"B\"]\ntype = \"logistical\"\nquality = \"high_end\"\n"
      "start = 2016-01-01\n");
  const auto a = rw.group("A"), b = rw.group("B"), c = rw.group("C");
  const auto d = rw.district("AFG-029");
  const auto nb = rw.world.geography->neighbours(d);
  std::size_t across = nb.size();
  for (std::size_t k = 0; k < nb.size(); ++k)
    if (rw.world.geography->country[nb[k]] != Country::afghanistan) across = k;
  REQUIRE(across < nb.size());
  const std::size_t inside[3] = {across == 0 ? 1u : 0u, across <= 1 ? 2u : 1u, across <= 2 ? 3u : 2u};
  rw.add_cell(a, nb[inside[0]], 20);  // own group
  rw.add_cell(b, nb[inside[1]], 20);  // logistical ally
  rw.add_cell(c, nb[inside[2]], 20);  // no tie: no pull
  const auto slot = rw.add_cell(a, d, 30);
  const auto w = weights(rw, d, true, {a, b});
  CHECK(w[inside[0]] == Approx(1.0 + rw.parameters().movement_cohesion));
  CHECK(w[inside[1]] == Approx(1.0 + rw.parameters().movement_cohesion));
  CHECK(w[inside[2]] == Approx(1.0));
  CHECK(w[across] ==
        Approx(rw.parameters().movement_cross_border_permeability * rw.parameters().movement_safe_passage_factor));
  for (std::size_t k = 0; k < nb.size(); ++k) {
    INFO("neighbour " << k);
    const auto [lower, upper] = share_of(w, k);
    for (double u : {k == 0 ? 0.0 : just_above(lower), middle_of(w, k), just_below(upper)}) {
      rw.state.cells.district[slot] = d;
      CHECK(move_with(rw, slot, 0.0, u) == nb[k]);
    }
  }
}
