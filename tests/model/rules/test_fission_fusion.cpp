// Fission, fusion, dissolution (model/rules/fission_fusion.cpp, ODD §7.5). A cell with m >
// fission_size splits with probability fission_rate into cells of ceil(m/2) and floor(m/2)
// members, resources shared in proportion; a cell with m < fusion_size joins the largest other
// cell of its group in its district that has at least fusion_size members, or, without one and
// below dissolve_size, dissolves (its members counted as dispersed). The fission stream of a
// cell draws one uniform: whether it splits.
#include <catch2/catch.hpp>

#include "model/rules/rules.hpp"
#include "model/state.hpp"
#include "support/rule_fixture.hpp"
#include "support/scripted_draws.hpp"

using namespace iskabm;
using test::just_above;
using test::just_below;

TEST_CASE("fission_fusion: a large cell splits in two halves, conserving members and resources",
          "[rules][fission_fusion]") {
  test::RuleWorld rw;
  auto& p = rw.parameters();
  REQUIRE(p.cells_fission_size == 150);
  p.cells_fission_rate = 0.3;
  const auto a = rw.group("A");
  const auto d = rw.district("AFG-029");
  test::ScriptedDraws script;
  rw.script = &script;
  const auto big = rw.add_cell(a, d, 301, 1000.0);
  const auto other = rw.add_cell(a, d, 200, 500.0);
  const auto at_size = rw.add_cell(a, d, 150, 100.0);  // not above fission_size: never splits
  script.uniforms(Purpose::fission_fusion, rw.uid(big), {just_below(0.3)});
  script.uniforms(Purpose::fission_fusion, rw.uid(other), {just_above(0.3)});
  script.uniforms(Purpose::fission_fusion, rw.uid(at_size), {0.0});
  rw.index();
  const auto day = rw.day(12);
  rules::fission_fusion(rw.world, rw.state, rw.recorder, day);
  const auto& c = rw.state.cells;
  REQUIRE(c.count == 4);
  const std::size_t child = 3;
  CHECK(c.members[big] == 151);
  CHECK(c.members[child] == 150);
  CHECK(c.resources[child] == Approx(1000.0 * 150 / 301));
  CHECK(c.resources[big] + c.resources[child] == Approx(1000.0));
  CHECK(c.group[child] == a);
  CHECK(c.district[child] == d);
  CHECK(c.alive[child] == 1);
  CHECK(c.uid[child] == child_cell_uid(rw.uid(big), 12));
  CHECK(c.members[other] == 200);
  CHECK(c.resources[other] == 500.0);
  CHECK(c.members[at_size] == 150);
  CHECK(rw.members_of(a) == 301 + 200 + 150);
}

TEST_CASE("fission_fusion: a small cell joins the largest cell of its group in its district",
          "[rules][fission_fusion]") {
  test::RuleWorld rw;
  REQUIRE(rw.parameters().cells_fusion_size == 10);
  REQUIRE(rw.parameters().cells_dissolve_size == 3);
  const auto a = rw.group("A"), b = rw.group("B");
  const auto d = rw.district("AFG-029"), e = rw.district("AFG-243");
  const auto small = rw.add_cell(a, d, 6, 40.0);
  const auto mid = rw.add_cell(a, d, 40, 10.0);
  const auto large = rw.add_cell(a, d, 60, 20.0);
  const auto other_group = rw.add_cell(b, d, 100, 0.0);
  const auto other_district = rw.add_cell(a, e, 140, 0.0);      // below fission_size: stays whole
  const auto tiny = rw.add_cell(a, rw.district("AFG-187"), 2);  // alone: dissolves
  const auto few = rw.add_cell(a, rw.district("AFG-112"), 5);   // alone, not below dissolve_size: stays
  rw.index();
  rules::fission_fusion(rw.world, rw.state, rw.recorder, rw.day(0));
  const auto& c = rw.state.cells;
  CHECK(c.members[large] == 66);
  CHECK(c.resources[large] == Approx(60.0));
  CHECK(c.alive[small] == 0);
  CHECK(c.members[small] == 0);
  CHECK(c.members[mid] == 40);
  CHECK(c.members[other_group] == 100);
  CHECK(c.members[other_district] == 140);
  CHECK(c.alive[tiny] == 0);
  CHECK(rw.metric(a, Country::afghanistan, GroupMetric::dispersed) == 2);
  CHECK(c.alive[few] == 1);
  CHECK(c.members[few] == 5);
  rules::remove_dead_cells(rw.state);
  CHECK(rw.state.cells.count == 5);
  CHECK(rw.members_of(a) == 40 + 66 + 140 + 5);
}
