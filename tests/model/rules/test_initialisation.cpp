// Initialisation and reinforcement (model/rules/initialisation.cpp, ODD §5 and §7.10): each
// foothold {district, cells, members} becomes `cells` cells of `members` members holding
// resources.initial_per_member x members; a reinforcement adds its cells in each district of its
// area on its start day and counts their members as recruits.
#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <tuple>

#include "base/errors.hpp"
#include "model/rules/rules.hpp"
#include "support/rule_fixture.hpp"

using namespace iskabm;

namespace {

std::string foothold_config(int max_cells) {
  return R"(title = "footholds"
[run]
start = 2016-01-01
end = 2016-12-31
seed = 7
max_cells = )" +
         std::to_string(max_cells) + R"(

[[group]]
id = "A"
name = "Group A"
home_country = "Afghanistan"
hostile_to_taliban = true
active_from = 2000-01-01
attack_propensity = 1.0
lethality = 1.0
external_funding = 2.0
targets = { civilians = 1.0 }
tactics = { ied = 1.0 }
footholds = [
  { district = "AFG-029", cells = 3, members = 40 },
  { district = "AFG-029", cells = 2, members = 15 },
  { district = "AFG-187", cells = 1, members = 7 },
]

[[group]]
id = "B"
name = "Group B"
home_country = "Pakistan"
hostile_to_taliban = false
active_from = 2000-01-01
attack_propensity = 1.0
lethality = 1.0
external_funding = 1.0
targets = { civilians = 1.0 }
tactics = { ied = 1.0 }
footholds = [ { district = "PAK15-030", cells = 4, members = 20 } ]
)";
}

}  // namespace

TEST_CASE("initialisation: each foothold becomes its configured cells, with resources per member",
          "[rules][initialisation]") {
  const auto w = test::world_from(test::config_from_text(foothold_config(64)));
  const auto& geo = *w.geography;
  State s;
  rules::initialise(w, 7, 0, s);
  const auto& c = s.cells;
  REQUIRE(c.count == 10);
  std::map<std::tuple<GroupIndex, DistrictIndex, std::int32_t>, int> cells;
  std::set<std::uint64_t> uids;
  for (std::size_t i = 0; i < c.count; ++i) {
    ++cells[{c.group[i], c.district[i], c.members[i]}];
    uids.insert(c.uid[i]);
    CHECK(c.alive[i] == 1);
    CHECK(c.resources[i] == Approx(w.config.parameters.resources_initial_per_member * c.members[i]));
  }
  const auto achin = *geo.find("AFG-029"), kabul = *geo.find("AFG-187"), quetta = *geo.find("PAK15-030");
  CHECK(cells == std::map<std::tuple<GroupIndex, DistrictIndex, std::int32_t>, int>{
                     {{0, achin, 40}, 3}, {{0, achin, 15}, 2}, {{0, kabul, 7}, 1}, {{1, quetta, 20}, 4}});
  CHECK(uids.size() == 10);
  CHECK(s.year_amplitude.size() == 1);
  CHECK(s.group_members.size() == 2 * w.districts());
  CHECK(s.district_cells.size() == 64);

  // Too small a max_cells is an error, not a silent loss of footholds.
  const auto small = test::world_from(test::config_from_text(foothold_config(9)));
  State t;
  CHECK_THROWS_AS(rules::initialise(small, 7, 0, t), Error);
}

TEST_CASE("initialisation: a reinforcement adds its cells on its start day, counted as recruits",
          "[rules][initialisation]") {
  test::RuleWorld rw(R"(
[[intervention]]
kind = "reinforcement"
label = "freed prisoners"
groups = ["B"]
districts = ["AFG-029", "PAK15-050"]
cells = 2
members = 30
start = 2016-03-10
)");
  const auto b = rw.group("B");
  const auto day = rw.day_index({2016, 3, 10});
  rules::apply_due_interventions(rw.world, rw.state, rw.recorder, rw.day(day - 1));
  CHECK(rw.state.cells.count == 0);
  rules::apply_due_interventions(rw.world, rw.state, rw.recorder, rw.day(day));
  const auto& c = rw.state.cells;
  REQUIRE(c.count == 4);
  std::set<std::uint64_t> uids;
  for (std::size_t i = 0; i < c.count; ++i) {
    CHECK(c.group[i] == b);
    CHECK(c.members[i] == 30);
    CHECK(c.resources[i] == Approx(rw.parameters().resources_initial_per_member * 30));
    uids.insert(c.uid[i]);
  }
  CHECK(uids.size() == 4);
  CHECK(rw.members_of(b) == 120);
  CHECK(rw.metric(b, Country::afghanistan, GroupMetric::recruits, 2) == 60);  // March
  CHECK(rw.metric(b, Country::pakistan, GroupMetric::recruits, 2) == 60);
  CHECK(rw.metric_total(b, GroupMetric::recruits) == 120);
  rules::apply_due_interventions(rw.world, rw.state, rw.recorder, rw.day(day + 1));
  CHECK(rw.state.cells.count == 4);
}
