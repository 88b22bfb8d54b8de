// Recruitment and ideological defection (model/rules/recruitment.cpp, ODD §7.1). A cell recruits
// Poisson(lambda) members a day,
//   lambda = reach x multiplier_g x (walk_in + per_member x m) x (1 + grievance x H_d) x max(0, 1 - G_gd/K);
// then, for each active ideological tie (first, second), each member of a cell of `second` in a
// district where `first` has members defects with probability rate x s(tie) to the largest cell
// of `first` there. The variates are Boost Poisson and binomial: the checks are on sums.
#include <catch2/catch.hpp>

#include <cmath>

#include "model/rules/rules.hpp"
#include "support/rule_fixture.hpp"

using namespace iskabm;

namespace {

bool within_poisson(double k, double mean, double sigmas = 4.5) {
  return std::abs(k - mean) <= sigmas * std::sqrt(mean);
}
bool within_binomial(double k, double n, double q, double sigmas = 4.5) {
  return std::abs(k - n * q) <= sigmas * std::sqrt(n * q * (1 - q));
}

std::string ideological_tie(const char* quality, const char* start = "2016-01-01", const char* end = "2016-12-31") {
  return std::string("[[alliance_tie]]\ngroups = [\"A\", \"B\"]\ntype = \"ideological\"\nquality = \"") + quality +
         "\"\nstart = " + start + "\nend = " + end + "\n";
}

void no_recruitment(test::RuleWorld& rw) {
  rw.parameters().recruitment_walk_in_rate = 0.0;
  rw.parameters().recruitment_per_member_rate = 0.0;
}

}  // namespace

TEST_CASE("recruitment: defections leave the second group of an ideological tie and join the first",
          "[rules][recruitment]") {
  test::RuleWorld rw(ideological_tie("high_end"));  // first A, second B
  no_recruitment(rw);
  rw.parameters().defection_rate = 0.01;
  const auto a = rw.group("A"), b = rw.group("B"), c = rw.group("C");
  const auto d = rw.district("PAK15-050"), elsewhere = rw.district("AFG-187");
  constexpr int b_cells = 300, m = 100;
  for (int i = 0; i < b_cells; ++i) rw.add_cell(b, d, m);
  const auto small_a = rw.add_cell(a, d, 40), large_a = rw.add_cell(a, d, 80), c_cell = rw.add_cell(c, d, 500);
  const auto lone_b = rw.add_cell(b, elsewhere, 500);  // no A there: nobody to defect to
  const auto lone_a = rw.add_cell(a, elsewhere, 0);    // an empty A cell does not count as A's presence
  rw.index();
  rules::recruit(rw.world, rw.state, rw.recorder, rw.day(0));

  const long b_left = rw.members_of(b) - rw.state.cells.members[lone_b];
  const long moved = static_cast<long>(b_cells) * m - b_left;
  INFO(moved << " defections, expected " << b_cells * m * 0.01);
  CHECK(within_binomial(static_cast<double>(moved), b_cells * m, 0.01));
  CHECK(rw.state.cells.members[large_a] == 80 + moved);  // all to the largest cell of A
  CHECK(rw.state.cells.members[small_a] == 40);
  CHECK(rw.state.cells.members[c_cell] == 500);
  CHECK(rw.state.cells.members[lone_b] == 500);
  CHECK(rw.state.cells.members[lone_a] == 0);
  // Booked to the groups they leave and join, in the district's country.
  CHECK(rw.metric(b, Country::pakistan, GroupMetric::defections_out) == moved);
  CHECK(rw.metric(a, Country::pakistan, GroupMetric::defections_in) == moved);
  CHECK(rw.metric(a, Country::pakistan, GroupMetric::defections_out) == 0);
  CHECK(rw.metric(b, Country::pakistan, GroupMetric::defections_in) == 0);
  CHECK(rw.metric_total(c, GroupMetric::defections_in) + rw.metric_total(c, GroupMetric::defections_out) == 0);
  CHECK(rw.metric_total(a, GroupMetric::defections_in) == moved);  // none in Afghanistan
  CHECK(rw.metric_total(b, GroupMetric::defections_out) == moved);
}

TEST_CASE("recruitment: the defection rate scales with the tie's strength and the tie's days", "[rules][recruitment]") {
  // A low-end tie (strength ties.low_end_strength = 0.4) active from 2016-02-01.
  test::RuleWorld rw(ideological_tie("low_end", "2016-02-01"));
  no_recruitment(rw);
  rw.parameters().defection_rate = 0.01;
  REQUIRE(rw.parameters().ties_low_end_strength == 0.4);
  const auto a = rw.group("A"), b = rw.group("B");
  const auto d = rw.district("AFG-029");
  constexpr int b_cells = 500, m = 100;
  for (int i = 0; i < b_cells; ++i) rw.add_cell(b, d, m);
  rw.add_cell(a, d, 10);
  rw.index();
  rules::recruit(rw.world, rw.state, rw.recorder, rw.day(rw.day_index({2016, 1, 31})));  // tie not yet active
  CHECK(rw.members_of(b) == b_cells * m);
  rules::recruit(rw.world, rw.state, rw.recorder, rw.day(rw.day_index({2016, 2, 1})));
  const long moved = static_cast<long>(b_cells) * m - rw.members_of(b);
  INFO(moved << " defections, expected " << b_cells * m * 0.004);
  CHECK(within_binomial(static_cast<double>(moved), b_cells * m, 0.01 * 0.4));
  CHECK(rw.members_of(a) == 10 + moved);
  CHECK(rw.metric(b, Country::afghanistan, GroupMetric::defections_out, 1) == moved);  // February
  CHECK(rw.metric(a, Country::afghanistan, GroupMetric::defections_in, 1) == moved);
}

TEST_CASE("recruitment: recruits are Poisson with the documented mean", "[rules][recruitment]") {
  test::RuleWorld rw;
  auto& p = rw.parameters();
  p.recruitment_walk_in_rate = 0.01;
  p.recruitment_per_member_rate = 0.003;
  p.recruitment_propaganda_reach = 1.0;
  p.recruitment_grievance_weight = 2.0;
  constexpr int cells = 2000, m = 100;
  p.recruitment_district_capacity = 2.0 * cells * m;  // a group with cells x m members there has room 1/2
  const auto a = rw.group("A"), b = rw.group("B"), c = rw.group("C");
  const auto plain = rw.district("AFG-029"), harmed = rw.district("AFG-243"), pakistan = rw.district("PAK15-050"),
             full = rw.district("AFG-187");
  rw.set_pressure(harmed, 1.0, 0.0, 0.0, 0.75);  // civilian harm H = 0.75: x (1 + 2 x 0.75)
  rw.conditions.recruitment[b] = 3.0;            // B's recruitment multiplier (in Pakistan)
  for (int i = 0; i < cells; ++i) {
    rw.add_cell(a, plain, m);
    rw.add_cell(a, harmed, m);
    rw.add_cell(b, pakistan, m);
  }
  rw.add_cell(c, full, static_cast<std::int32_t>(p.recruitment_district_capacity));  // no room: G = K
  rw.index();
  rules::recruit(rw.world, rw.state, rw.recorder, rw.day(0));

  long recruits[3] = {0, 0, 0};
  for (std::size_t i = 0; i < rw.state.cells.count; ++i) {
    const auto& cl = rw.state.cells;
    if (cl.group[i] == c) continue;
    recruits[cl.group[i] == b ? 2 : cl.district[i] == harmed ? 1 : 0] += cl.members[i] - m;
  }
  const double lambda = (0.01 + 0.003 * m) * 0.5;
  const double mean[3] = {cells * lambda, cells * lambda * (1 + 2 * 0.75), cells * lambda * 3.0};
  for (int k = 0; k < 3; ++k) {
    INFO("case " << k << ": " << recruits[k] << " recruits, expected " << mean[k]);
    CHECK(within_poisson(static_cast<double>(recruits[k]), mean[k]));
  }
  CHECK(rw.state.cells.members[rw.state.cells.count - 1] == static_cast<std::int32_t>(p.recruitment_district_capacity));
  // Recorded as recruits of the group, in the district's country.
  CHECK(rw.metric(a, Country::afghanistan, GroupMetric::recruits) == recruits[0] + recruits[1]);
  CHECK(rw.metric(a, Country::pakistan, GroupMetric::recruits) == 0);
  CHECK(rw.metric(b, Country::pakistan, GroupMetric::recruits) == recruits[2]);
  CHECK(rw.metric_total(c, GroupMetric::recruits) == 0);
}
