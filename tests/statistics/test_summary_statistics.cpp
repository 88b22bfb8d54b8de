#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cmath>
#include <numeric>

#include "io/observed_data.hpp"
#include "model/simulation.hpp"
#include "statistics/summary_statistics.hpp"
#include "support/model_fixture.hpp"

using namespace iskabm;

namespace {
// The value of the statistic called `name`.
double statistic(const std::vector<std::string>& names, const std::vector<double>& values, const std::string& name) {
  const auto it = std::find(names.begin(), names.end(), name);
  REQUIRE(it != names.end());
  return values[static_cast<std::size_t>(it - names.begin())];
}
}  // namespace

TEST_CASE("summary statistics: names and values line up and add up", "[statistics][summary]") {
  const auto w = test::world_from(test::config_from_file(test::baseline_config));
  const auto names = summary_statistic_names(w);
  const auto r = run_replicate(w, w.config.seed, 0);
  const auto v = summary_statistics(w, r);
  REQUIRE(names.size() == v.size());
  const auto at = [&](const std::string& name) { return statistic(names, v, name); };
  double yearly = 0, observed = 0, shares = 0, fatal_observed = 0;
  for (int y = 2014; y <= 2018; ++y)
    yearly +=
        at("observed_attacks_Afghanistan_" + std::to_string(y)) + at("observed_attacks_Pakistan_" + std::to_string(y));
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

TEST_CASE("summary statistics: the observed record's statistics are the published counts", "[statistics][summary]") {
  const auto data = load_observed_data(test::bundled_data_dir());
  const auto w = test::world_from(test::config_from_file(test::baseline_config));
  const auto names = summary_statistic_names(w);
  const auto v = observed_summary_statistics(w, data);
  REQUIRE(v.size() == names.size());
  const auto at = [&](const std::string& name) { return statistic(names, v, name); };
  const int afg[] = {0, 2, 23, 34, 81}, pak[] = {0, 1, 3, 10, 17};
  for (int y = 2014; y <= 2018; ++y) {
    CHECK(at("observed_attacks_Afghanistan_" + std::to_string(y)) == afg[y - 2014]);
    CHECK(at("observed_attacks_Pakistan_" + std::to_string(y)) == pak[y - 2014]);
  }
  CHECK(at("observed_attacks_ratio_afghanistan_to_pakistan") == Approx(140.0 / 31.0));
  // 10 of 171 incidents name a partner; 3 name one the model has (TTP, JuA, LeJ): 6 name the
  // Taliban, 1 Hizbul Ahrar.
  CHECK(at("observed_joint_claim_share") == Approx(3.0 / 171.0));
  CHECK(at("observed_province_share_Kabul") == Approx(52.0 / 171.0).epsilon(0.05));
  CHECK(at("focal_killed_Afghanistan") == 11668);
  CHECK(at("focal_captured_Pakistan") == 433);
  CHECK(std::isnan(at("focal_surrendered_Pakistan")));
  double shares = 0;
  for (int m = 1; m <= 12; ++m) shares += at(fmt::format("observed_month_share_{:02d}", m));
  CHECK(shares == Approx(1.0));
  // Outside the record's years the statistics are undefined, not zero.
  const auto w2 = test::world_from(test::config_from_file(test::source_dir / "scenarios" / "withdrawal_2021.toml"));
  const auto names2 = summary_statistic_names(w2);
  const auto v2 = observed_summary_statistics(w2, data);
  const auto k = std::find(names2.begin(), names2.end(), "observed_attacks_Afghanistan_2022") - names2.begin();
  CHECK(std::isnan(v2[static_cast<std::size_t>(k)]));
}
