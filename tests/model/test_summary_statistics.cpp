#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>

#include <fmt/format.h>

#include "model/simulation.hpp"
#include "model/summary_statistics.hpp"
#include "support/model_fixture.hpp"

using namespace iskabm;

TEST_CASE("summary statistics: names and values line up and add up", "[statistics][summary]") {
  const auto w = test::world_from(test::config_from_file(test::baseline_config));
  const auto names = summary_statistic_names(w);
  const auto r = run_replicate(w, w.config.seed, 0);
  const auto v = summary_statistics(w, r);
  REQUIRE(names.size() == v.size());
  const auto at = [&](const std::string& name) {
    const auto it = std::find(names.begin(), names.end(), name);
    REQUIRE(it != names.end());
    return v[static_cast<std::size_t>(it - names.begin())];
  };
  double yearly = 0, observed = 0, shares = 0, fatal_observed = 0;
  for (int y = 2014; y <= 2018; ++y)
    yearly += at("observed_attacks_Afghanistan_" + std::to_string(y)) + at("observed_attacks_Pakistan_" + std::to_string(y));
  for (auto x : r.attacks_observed) observed += x;
  CHECK(yearly == observed);
  for (int m = 1; m <= 12; ++m) shares += at(fmt::format("observed_month_share_{:02d}", m));
  CHECK(shares == Approx(1.0));
  for (const auto& e : r.events) fatal_observed += e.observed;
  CHECK(fatal_observed == observed);
  CHECK(at("observed_top5_district_share") <= 1.0);
  CHECK(at("observed_top5_district_share") >= at("observed_province_share_Kunar"));
  CHECK(at("observed_fatalities_p90") >= at("observed_fatalities_median"));
  CHECK(at("focal_members_mean_2017") > 0);
  CHECK(at("observed_joint_claim_share") >= 0.0);
}
