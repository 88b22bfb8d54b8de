// The co-location index (model/rules/district_index.cpp): live cells by district, in slot
// order, and members of each group per district, rebuilt from the cells every day.
#include <catch2/catch.hpp>

#include <vector>

#include "model/rules/rules.hpp"
#include "support/rule_fixture.hpp"

using namespace iskabm;

TEST_CASE("district_index: each live cell is listed under its district, and members summed by group",
          "[rules][district_index]") {
  test::RuleWorld rw;
  const auto a = rw.group("A"), b = rw.group("B"), c = rw.group("C");
  const auto d1 = rw.district("AFG-029"), d2 = rw.district("PAK15-050"), d3 = rw.district("AFG-187");
  rw.add_cell(a, d2, 10);
  rw.add_cell(b, d1, 20);
  const auto dead = rw.add_cell(a, d1, 300);
  rw.add_cell(a, d1, 30);
  rw.add_cell(c, d2, 0);  // alive but empty: listed, adds nothing
  rw.add_cell(a, d2, 5);
  rw.add_cell(b, d3, 7);
  rw.state.cells.alive[dead] = 0;
  rw.index();

  const auto& s = rw.state;
  const auto n = rw.world.districts();
  const auto listed = [&](DistrictIndex d) {
    return std::vector<std::uint32_t>(s.district_cells.begin() + s.district_offset[d],
                                      s.district_cells.begin() + s.district_offset[d + 1]);
  };
  CHECK(listed(d1) == std::vector<std::uint32_t>{1, 3});
  CHECK(listed(d2) == std::vector<std::uint32_t>{0, 4, 5});
  CHECK(listed(d3) == std::vector<std::uint32_t>{6});
  CHECK(s.district_offset[n] == 6);  // live cells
  CHECK(s.district_offset[0] == 0);
  for (DistrictIndex d = 0; d < n; ++d) REQUIRE(s.district_offset[d] <= s.district_offset[d + 1]);
  CHECK(s.group_members[a * n + d1] == 30);
  CHECK(s.group_members[a * n + d2] == 15);
  CHECK(s.group_members[b * n + d1] == 20);
  CHECK(s.group_members[b * n + d3] == 7);
  CHECK(s.group_members[c * n + d2] == 0);
  long total = 0;
  for (auto m : s.group_members) total += m;
  CHECK(total == 30 + 15 + 20 + 7);

  // Rebuilt, not accumulated: after a move, the index follows the cells.
  rw.state.cells.district[0] = d3;
  rw.index();
  CHECK(listed(d2) == std::vector<std::uint32_t>{4, 5});
  CHECK(listed(d3) == std::vector<std::uint32_t>{0, 6});
  CHECK(s.group_members[a * n + d2] == 5);
  CHECK(s.group_members[a * n + d3] == 10);
}
