// What the shipped posterior (calibration/default_posterior.csv) must give (issue 17):
// - bounded growth: in every shipped scenario no group's strength keeps growing to the scenario's
//   end, and a simulated year does not cost more as the run goes on (cell-days per year, the work
//   of the daily loop, within 1.5x of the baseline's);
// - reporting: an attack with 20 killed enters the notable-incident record with probability at
//   least 0.9 in either country and every year, for the weighted median particle and for 90 % of
//   the posterior mass.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <vector>

#include "calibration/posterior.hpp"
#include "calibration/posterior_file.hpp"
#include "model/rules/rules.hpp"
#include "model/simulation.hpp"
#include "support/model_fixture.hpp"

using namespace iskabm;

namespace {

struct Growth {
  std::vector<std::vector<double>> members;  // [group][year]: mean month-end members over replicates
  double cell_days_per_year = 0;             // mean over replicates and years
};

Growth simulate(const std::filesystem::path& scenario, std::uint64_t replicates) {
  auto config = test::config_from_file(scenario);
  REQUIRE(!config.posterior.empty());
  const auto draw = read_posterior_draw(config.posterior);
  const auto years = static_cast<std::size_t>(to_civil(config.end).year - to_civil(config.start).year + 1);
  Growth out;
  out.members.assign(config.groups.size(), std::vector<double>(years, 0.0));
  for (std::uint64_t r = 0; r < replicates; ++r) {
    auto c = config;
    draw.apply(c.parameters, draw.values(c.seed, r));
    const auto w = test::world_from(std::move(c));
    const auto rec = run_replicate(w, w.config.seed, r);
    const auto first_month = static_cast<std::size_t>(to_civil(w.config.start).month - 1);
    for (std::size_t m = 0; m < rec.months; ++m) {
      const auto y = (first_month + m) / 12;
      for (GroupIndex g = 0; g < w.config.group_count(); ++g)
        for (auto country : {Country::afghanistan, Country::pakistan})
          out.members[g][y] += static_cast<double>(rec.group_metric(m, g, country, GroupMetric::members)) / 12.0 /
                               static_cast<double>(replicates);
    }
    out.cell_days_per_year += static_cast<double>(rec.cell_days) / static_cast<double>(years) / replicates;
  }
  return out;
}

// Runs every shipped scenario under the shipped posterior; checks each group for which `check`
// is true, and the cost per simulated year against the baseline's.
// 40 replicates: one replicate's last-year growth has a spread of about 25 % across the posterior,
// so a mean of 6 (as before) moved by 10 % with the particles drawn and failed on noise alone.
constexpr std::uint64_t growth_replicates = 40;

void check_growth(const std::function<bool(const Group&)>& check, bool check_cost) {
  const auto baseline = simulate(test::baseline_config, growth_replicates);
  for (const auto& entry : std::filesystem::directory_iterator(test::source_dir / "scenarios")) {
    if (entry.path().extension() != ".toml") continue;
    INFO(entry.path().filename().string());
    const auto config = test::config_from_file(entry.path());
    const auto g = simulate(entry.path(), growth_replicates);
    for (std::size_t k = 0; k < g.members.size(); ++k) {
      if (!check(config.groups[k])) continue;
      const auto& y = g.members[k];
      INFO(config.groups[k].id << ": yearly mean strength, last " << y.back() << ", the year before " << y[y.size() - 2]
                               << ", first " << y.front());
      // No growth at the end: the last year within 15 % (plus 30 members of noise) of the one before.
      CHECK(y.back() <= 1.15 * y[y.size() - 2] + 30);
    }
    if (!check_cost) continue;
    // The work per simulated year does not grow: within 1.5x of the baseline's.
    INFO("cell-days per year " << g.cell_days_per_year << ", baseline " << baseline.cell_days_per_year);
    CHECK(g.cell_days_per_year <= 1.5 * baseline.cell_days_per_year);
  }
}

}  // namespace

// Every group, ISK by its carrying capacity and pressure, the allies also by their published
// strength ceilings (scenarios/baseline_2015_2018.toml); before the ceilings TTP and JuA grew by
// 15-20 % a year at the end of 2018 and the withdrawal scenario's year cost about 2x the baseline's.
TEST_CASE("bounded growth: every group saturates and a simulated year costs at most 1.5x the baseline's",
          "[calibration][growth]") {
  check_growth([](const Group&) { return true; }, true);
}

TEST_CASE("reporting: under the shipped posterior an attack with 20 killed is reported with probability >= 0.9",
          "[calibration][observation]") {
  const auto config = test::config_from_file(test::baseline_config);
  const auto draw = read_posterior_draw(config.posterior);
  REQUIRE(config.mechanisms.reporting);
  for (const bool pakistan : {false, true})
    for (const int year : {2015, 2016, 2017, 2018}) {
      std::vector<double> pr;
      for (const auto& theta : draw.theta) {
        auto p = config.parameters;
        draw.apply(p, theta);
        pr.push_back(rules::reporting_probability(p, config.mechanisms, 20, false, pakistan, year));
      }
      INFO((pakistan ? "Pakistan " : "Afghanistan ") << year << ", a rural district");
      CHECK(weighted_quantile(pr, draw.weight, 0.5) >= 0.9);
      CHECK(weighted_quantile(pr, draw.weight, 0.1) >= 0.9);
    }
}
