// Carrying capacity (model.carrying_capacity; model/world.cpp, model/rules/recruitment.cpp,
// ODD §7.1). The capacity of group g in district d is
//   K_gd = capacity.base x (population_d / 100,000)^exponent x (1 - Shia presence_d)
//          x (1 - taliban_exclusion x Taliban presence_d)   [only for groups hostile to the Taliban]
//          x abroad_factor                                  [outside the group's home country]
//          x exp(-km to the group's nearest foothold / range_km)
// with a missing population replaced by its province's median (else its country's), and a cell
// recruits Poisson(reach x (walk_in + per_member x m) x (1 + grievance x harm) x room) with
//   room = max(0, 1 - (G_gd + rival_overlap x other groups' members in d) / K_gd).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include "model/rules/rules.hpp"
#include "support/rule_fixture.hpp"

using namespace iskabm;

namespace {

Mechanisms capacity_only() {
  auto m = mechanisms_of_structure("v1");
  m.carrying_capacity = true;
  return m;
}

double median_population(const Geography& geo, ProvinceIndex p) {
  std::vector<double> v;
  for (auto d : geo.districts_of_province(p))
    if (geo.has_population(d)) v.push_back(geo.population[d]);
  if (v.empty()) return std::nan("");
  std::sort(v.begin(), v.end());
  const auto k = v.size() / 2;
  return v.size() % 2 ? v[k] : 0.5 * (v[k - 1] + v[k]);
}

// Every group of the rule configuration has one foothold, in Achin (AFG-029).
double documented_capacity(const test::RuleWorld& rw, DistrictIndex d, bool hostile, double taliban, Country home) {
  const auto& p = rw.world.config.parameters;
  const auto& geo = *rw.world.geography;
  double pop = geo.population[d];
  if (std::isnan(pop)) pop = median_population(geo, geo.province[d]);
  if (std::isnan(pop)) {
    std::vector<double> v;
    for (auto e : geo.country_districts[static_cast<std::size_t>(geo.country[d])])
      if (geo.has_population(e)) v.push_back(geo.population[e]);
    std::sort(v.begin(), v.end());
    pop = v.empty() ? 100000.0 : v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
  }
  const double shia = std::isnan(geo.shia_presence[d]) ? 0.0 : geo.shia_presence[d];
  return p.capacity_base * std::pow(pop / 100000.0, p.capacity_population_exponent) * (1.0 - shia) *
         (hostile ? 1.0 - p.capacity_taliban_exclusion * taliban : 1.0) *
         (geo.country[d] == home ? 1.0 : p.capacity_abroad_factor) *
         std::exp(-test::haversine_km(geo, d, rw.district("AFG-029")) / p.capacity_range_km);
}

bool within_poisson(double k, double mean, double sigmas = 4.5) {
  return std::abs(k - mean) <= sigmas * std::sqrt(std::max(mean, 1.0));
}

}  // namespace

TEST_CASE(
    "carrying capacity: K follows population, Shia presence and, for groups hostile to the Taliban, their "
    "presence",
    "[rules][capacity]") {
  // Taliban presence 0.5 in Achin and Quetta; A is hostile to the Taliban, B is not.
  test::RuleWorld rw("[districts.taliban_presence_by_district]\n\"AFG-029\" = 0.5\n\"PAK15-036\" = 0.5\n",
                     capacity_only());
  const auto n = rw.world.districts();
  const auto& capacity = rw.world.conditions.front().capacity;
  const auto a = rw.group("A"), b = rw.group("B");
  for (const char* id : {"AFG-029", "AFG-187", "AFG-195", "PAK15-036", "PAK15-050", "PAK15-132"}) {
    const auto d = rw.district(id);
    const double taliban = rw.world.conditions.front().taliban_presence[d];
    INFO(id << ": population " << rw.world.geography->population[d] << ", Taliban " << taliban);
    // A's home is Afghanistan, B's Pakistan.
    CHECK(capacity[a * n + d] ==
          Approx(documented_capacity(rw, d, true, taliban, Country::afghanistan)).epsilon(1e-12));
    CHECK(capacity[b * n + d] == Approx(documented_capacity(rw, d, false, taliban, Country::pakistan)).epsilon(1e-12));
    CHECK(capacity[a * n + d] > 0);
  }
  // Quetta: the Taliban cut A's capacity but not B's; A is abroad there.
  const auto quetta = rw.district("PAK15-036");
  CHECK(capacity[a * n + quetta] ==
        Approx(capacity[b * n + quetta] * (1.0 - 0.5 * rw.parameters().capacity_taliban_exclusion) *
               rw.parameters().capacity_abroad_factor));
  REQUIRE(rw.parameters().capacity_abroad_factor < 1.0);
  // Far from the group's footholds, little: Karachi (~1,000 km from Achin) against Khyber Agency.
  CHECK(capacity[b * n + rw.district("PAK15-132")] < 0.01 * capacity[b * n + rw.district("PAK15-050")]);
}

TEST_CASE("carrying capacity: a reinforcement's district joins its group's reach on its start day, not before",
          "[rules][capacity]") {
  // Session 20: the reinforcement's districts used to count as footholds from the first day, so a
  // scenario with a late reinforcement (history, withdrawal) had more capacity than the baseline
  // years before it.
  const std::string reinforcement = R"(
[[intervention]]
kind = "reinforcement"
label = "freed prisoners"
groups = ["A"]
districts = ["PAK15-132"]
cells = 1
members = 10
start = 2016-03-10
)";
  test::RuleWorld rw(reinforcement, capacity_only());
  test::RuleWorld plain("", capacity_only());
  const auto& w = rw.world;
  const auto n = w.districts();
  const auto a = rw.group("A"), b = rw.group("B");
  const auto karachi = rw.district("PAK15-132");
  const auto start = rw.day_index({2016, 3, 10});
  const auto& before = w.conditions[w.conditions_of_day[start - 1]].capacity;
  const auto& after = w.conditions[w.conditions_of_day[start]].capacity;
  const auto& baseline = plain.world.conditions.front().capacity;
  // Before the start day the capacity is the baseline's (the footholds' reach alone) everywhere.
  for (std::size_t k = 0; k < before.size(); ++k) REQUIRE(before[k] == baseline[k]);
  // From it, Karachi is one of A's homes: its reach is 1 (A is abroad there), B is untouched.
  CHECK(after[a * n + karachi] ==
        Approx(documented_capacity(rw, karachi, true, w.conditions[w.conditions_of_day[start]].taliban_presence[karachi],
                                   Country::afghanistan) /
               std::exp(-test::haversine_km(*w.geography, karachi, rw.district("AFG-029")) /
                        rw.parameters().capacity_range_km))
            .epsilon(1e-9));
  CHECK(after[a * n + karachi] > 100 * before[a * n + karachi]);
  CHECK(after[b * n + karachi] == before[b * n + karachi]);
  // Near Achin the nearer home still decides.
  CHECK(after[a * n + rw.district("AFG-029")] == before[a * n + rw.district("AFG-029")]);
}

TEST_CASE("carrying capacity: recruitment falls with the group's and its rivals' members to zero at K",
          "[rules][capacity]") {
  test::RuleWorld rw("", capacity_only());
  auto& p = rw.parameters();
  p.recruitment_walk_in_rate = 0.0;
  p.recruitment_per_member_rate = 0.01;
  p.capacity_rival_overlap = 0.5;
  const auto n = rw.world.districts();
  const auto a = rw.group("A"), b = rw.group("B");
  const auto d = rw.district("AFG-029"), e = rw.district("AFG-243"), full = rw.district("AFG-006");
  constexpr double K = 100000;
  rw.conditions.capacity[a * n + d] = K;
  rw.conditions.capacity[a * n + e] = K;
  rw.conditions.capacity[a * n + full] = 200;
  // d: 400 A cells of 50 (20,000) and B 40,000: room = 1 - (20,000 + 0.5 x 40,000) / 100,000 = 0.6.
  // e: 400 A cells of 50, no B: room = 0.8. full: 5 A cells of 50 against K = 200: room < 0.
  std::vector<std::size_t> in_d, in_e, in_full;
  for (int i = 0; i < 400; ++i) in_d.push_back(rw.add_cell(a, d, 50));
  for (int i = 0; i < 400; ++i) in_e.push_back(rw.add_cell(a, e, 50));
  for (int i = 0; i < 5; ++i) in_full.push_back(rw.add_cell(a, full, 50));
  for (int i = 0; i < 40; ++i) rw.add_cell(b, d, 1000);
  rw.index();
  rules::recruit(rw.world, rw.state, rw.recorder, rw.day(0));
  const auto gained = [&](const std::vector<std::size_t>& slots) {
    double k = 0;
    for (auto i : slots) k += rw.state.cells.members[i] - 50;
    return k;
  };
  const double mean_d = 400 * 0.01 * 50 * 0.6, mean_e = 400 * 0.01 * 50 * 0.8;
  INFO("d: " << gained(in_d) << " recruits, expected " << mean_d << "; e: " << gained(in_e) << ", expected " << mean_e);
  CHECK(within_poisson(gained(in_d), mean_d));
  CHECK(within_poisson(gained(in_e), mean_e));
  CHECK(gained(in_full) == 0);

  SECTION("v1 ignores rivals and uses recruitment.district_capacity") {
    test::RuleWorld v1;
    v1.parameters().recruitment_walk_in_rate = 0.0;
    v1.parameters().recruitment_per_member_rate = 0.01;
    v1.parameters().recruitment_district_capacity = 40000;
    std::vector<std::size_t> cells;
    for (int i = 0; i < 400; ++i) cells.push_back(v1.add_cell(v1.group("A"), d, 50));
    for (int i = 0; i < 40; ++i) v1.add_cell(v1.group("B"), d, 1000);
    v1.index();
    rules::recruit(v1.world, v1.state, v1.recorder, v1.day(0));
    double k = 0;
    for (auto i : cells) k += v1.state.cells.members[i] - 50;
    CHECK(within_poisson(k, 400 * 0.01 * 50 * 0.5));  // room 1 - 20,000 / 40,000
  }
}

TEST_CASE("carrying capacity: a group's strength ceiling scales its recruitment by 1 - N_g / C_g",
          "[rules][capacity]") {
  test::RuleWorld rw("", capacity_only());
  auto& p = rw.parameters();
  p.recruitment_walk_in_rate = 0.0;
  p.recruitment_per_member_rate = 0.01;
  const auto n = rw.world.districts();
  const auto a = rw.group("A"), b = rw.group("B");
  const auto d = rw.district("AFG-029");
  constexpr double K = 100000;
  rw.conditions.capacity[a * n + d] = K;
  rw.conditions.capacity[b * n + d] = K;
  p.capacity_rival_overlap = 0.0;
  // A: 400 cells of 50 (20,000) under a ceiling of 40,000; B: 10 cells of 50 at its ceiling of 500.
  rw.world.config.groups[a].strength_ceiling = 40000;
  rw.world.config.groups[b].strength_ceiling = 500;
  std::vector<std::size_t> cells_a, cells_b;
  for (int i = 0; i < 400; ++i) cells_a.push_back(rw.add_cell(a, d, 50));
  for (int i = 0; i < 10; ++i) cells_b.push_back(rw.add_cell(b, d, 50));
  rw.index();
  REQUIRE(rw.state.group_total[a] == 20000);
  rules::recruit(rw.world, rw.state, rw.recorder, rw.day(0));
  double gained_a = 0, gained_b = 0;
  for (auto i : cells_a) gained_a += rw.state.cells.members[i] - 50;
  for (auto i : cells_b) gained_b += rw.state.cells.members[i] - 50;
  // room = (1 - 20,500 / 100,000) x (1 - 20,000 / 40,000) for A; B is at its ceiling.
  const double mean_a = 400 * 0.01 * 50 * (1.0 - 20500.0 / K) * 0.5;
  INFO("A: " << gained_a << " recruits, expected " << mean_a);
  CHECK(within_poisson(gained_a, mean_a));
  CHECK(gained_b == 0);

  SECTION("without model.carrying_capacity the ceiling is ignored") {
    test::RuleWorld v1;
    v1.parameters().recruitment_walk_in_rate = 0.0;
    v1.parameters().recruitment_per_member_rate = 0.01;
    v1.parameters().recruitment_district_capacity = 1e9;
    v1.world.config.groups[v1.group("B")].strength_ceiling = 500;
    std::vector<std::size_t> cells;
    for (int i = 0; i < 10; ++i) cells.push_back(v1.add_cell(v1.group("B"), d, 50));
    v1.index();
    rules::recruit(v1.world, v1.state, v1.recorder, v1.day(0));
    double k = 0;
    for (auto i : cells) k += v1.state.cells.members[i] - 50;
    CHECK(within_poisson(k, 10 * 0.01 * 50));
    CHECK(k > 0);
  }
}
