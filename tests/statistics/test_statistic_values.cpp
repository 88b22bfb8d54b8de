// Each summary statistic against a value computed by hand on a small constructed replicate, and
// the simulated path against the observed path on the same attacks.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>

#include "io/observed_data.hpp"
#include "model/season.hpp"
#include "statistics/summary_statistics.hpp"
#include "support/data_copy.hpp"
#include "support/model_fixture.hpp"

using namespace iskabm;

namespace {

struct Built {
  World world;
  Recorder recorder;
  DistrictIndex kabul, quetta, nangarhar[5];
};

// The small configuration (2015-01..2016-12, ISK first) with, in its recorder:
//   observed: 2015-03 Kabul x2 (10 and 30 killed, the first joint-claimed); 2015-04 Nangarhar 1
//   (5 killed); 2016-03 Quetta (60); 2016-06 three more Nangarhar districts (1, 2, 3 killed);
//   2016-07 a fifth Nangarhar district (4)
//   not observed: 2015-05 Nangarhar x3 (100 killed each), 2016-08 Quetta x2
//   focal (ISK) members: 100 in Afghanistan and 50 in Pakistan every month, 300 in Afghanistan in
//   2016-01; killed in Afghanistan 4 (2015-02) + 6 (2015-06), captured in Pakistan 3,
//   surrendered in Afghanistan 2. The second group has 999 members everywhere.
Built constructed() {
  auto w = test::world_from(test::config_from_file(test::small_config));
  const auto& geo = *w.geography;
  Built b{std::move(w), Recorder{}, 0, 0, {}};
  b.recorder = Recorder(b.world);
  b.kabul = *geo.find("AFG-187");     // Kabul city
  b.quetta = *geo.find("PAK15-036");  // Quetta
  std::size_t k = 0;
  for (auto d : geo.districts_of_province(*geo.find_province("Nangarhar")))
    if (k < 5 && geo.district_id[d] != "AFG-195") b.nangarhar[k++] = d;  // not Jalalabad
  auto& r = b.recorder;
  // Each attack on day `day` of its month (the window starts in 2015-01).
  const auto attack = [&](std::size_t month, DistrictIndex d, int killed, bool observed, bool joint = false,
                          int day = 1) {
    r.attacks[r.md(month, d)] += 1;
    r.attacks_observed[r.md(month, d)] += observed;
    const CivilDate date{2015 + static_cast<int>(month) / 12, static_cast<int>(month) % 12 + 1, day};
    r.events.push_back(AttackEvent{to_day_number(date), d, 0, static_cast<std::int8_t>(joint ? 1 : -1),
                                   TargetClass::civilians, Tactic::ied, killed, static_cast<std::uint8_t>(observed),
                                   static_cast<std::uint8_t>(observed && killed != 60),  // Quetta's is unclaimed
                                   static_cast<std::uint8_t>(observed && joint), 0});
  };
  attack(2, b.kabul, 10, true, true, 5);        // 2015-03-05
  attack(2, b.kabul, 30, true, false, 20);      // 2015-03-20
  attack(3, b.nangarhar[0], 5, true, false, 10);  // 2015-04-10
  attack(14, b.quetta, 60, true, false, 1);       // 2016-03-01
  attack(17, b.nangarhar[1], 1, true, false, 10);  // 2016-06-10, 15 and 20: Ramadan 2016
  attack(17, b.nangarhar[2], 2, true, false, 15);
  attack(17, b.nangarhar[3], 3, true, false, 20);
  attack(18, b.nangarhar[4], 4, true, false, 25);  // 2016-07-25
  for (int i = 0; i < 3; ++i) attack(4, b.nangarhar[0], 100, false, true);
  for (int i = 0; i < 2; ++i) attack(19, b.quetta, 100, false);
  for (std::size_t m = 0; m < r.months; ++m) {
    r.group_metric(m, 0, Country::afghanistan, GroupMetric::members) = m == 12 ? 300 : 100;
    r.group_metric(m, 0, Country::pakistan, GroupMetric::members) = 50;
    for (auto c : {Country::afghanistan, Country::pakistan}) r.group_metric(m, 1, c, GroupMetric::members) = 999;
  }
  r.group_metric(1, 0, Country::afghanistan, GroupMetric::killed) = 4;
  r.group_metric(5, 0, Country::afghanistan, GroupMetric::killed) = 6;
  r.group_metric(7, 0, Country::pakistan, GroupMetric::captured) = 3;
  r.group_metric(9, 0, Country::afghanistan, GroupMetric::surrendered) = 2;
  r.group_metric(9, 1, Country::afghanistan, GroupMetric::killed) = 500;
  return b;
}

double at(const SummaryStatistics& s, const std::vector<double>& v, const std::string& name) {
  const auto n = s.names();
  const auto it = std::find(n.begin(), n.end(), name);
  INFO(name);
  REQUIRE(it != n.end());
  return v[static_cast<std::size_t>(it - n.begin())];
}

}  // namespace

TEST_CASE("statistics: every value of a constructed replicate as computed by hand", "[statistics]") {
  const auto b = constructed();
  const SummaryStatistics s(b.world, StatisticsOptions{.focal_group = "", .strength_year = 2016});
  const auto v = s.simulated(b.recorder);
  REQUIRE(v.size() == s.names().size());
  std::set<std::string> checked;
  const auto x = [&](const std::string& name) {
    checked.insert(name);
    return at(s, v, name);
  };
  // Only observed attacks count: the 3 unobserved Nangarhar attacks of 2015-05 and the 2
  // unobserved Quetta attacks of 2016-08 change nothing.
  CHECK(x("observed_attacks_Afghanistan_2015") == 3);
  CHECK(x("observed_attacks_Afghanistan_2016") == 4);
  CHECK(x("observed_attacks_Pakistan_2015") == 0);
  CHECK(x("observed_attacks_Pakistan_2016") == 1);
  CHECK(x("observed_attacks_ratio_afghanistan_to_pakistan") == 7.0);  // Afghanistan over Pakistan
  CHECK(x("observed_month_share_03") == 3.0 / 8);
  CHECK(x("observed_month_share_04") == 1.0 / 8);
  CHECK(x("observed_month_share_05") == 0.0);
  CHECK(x("observed_month_share_06") == 3.0 / 8);
  CHECK(x("observed_month_share_07") == 1.0 / 8);
  CHECK(x("observed_month_share_08") == 0.0);
  for (const char* m : {"01", "02", "09", "10", "11", "12"}) CHECK(x(std::string("observed_month_share_") + m) == 0.0);
  CHECK(x("observed_province_share_Nangarhar") == 5.0 / 8);
  CHECK(x("observed_province_share_Kabul") == 2.0 / 8);
  CHECK(x("observed_province_share_Kunar") == 0.0);
  CHECK(x("observed_province_share_Balochistan") == 1.0 / 8);
  CHECK(x("observed_top5_district_share") == 6.0 / 8);  // Kabul 2, then four districts of 1
  CHECK(x("observed_attacks_kabul") == 2);
  CHECK(x("observed_attacks_quetta") == 1);  // its 2 unobserved attacks do not count
  CHECK(x("observed_attacks_jalalabad") == 0);
  CHECK(x("observed_attacks_peshawar") == 0);
  // Observed fatalities 1 2 3 4 5 10 30 60 (type-7 quantiles).
  CHECK(x("observed_fatalities_median") == 4.5);
  CHECK(x("observed_fatalities_p90") == Approx(39.0));
  CHECK(x("observed_joint_claim_share") == 1.0 / 8);
  CHECK(x("observed_zero_month_share_Afghanistan") == 20.0 / 24);
  CHECK(x("observed_zero_month_share_Pakistan") == 23.0 / 24);
  CHECK(x("observed_monthly_autocorrelation_Afghanistan") == Approx(1655.0 / 7464));
  CHECK(x("observed_monthly_autocorrelation_Pakistan") == Approx(-25.0 / 552));
  // Year by year: 2015 has 3 observed attacks (March, March, April), 2016 has 5 (March, June x3,
  // July), each year's in at most five districts.
  CHECK(x("observed_fighting_season_share_2015") == 1.0 / 3);
  CHECK(x("observed_fighting_season_share_2016") == 4.0 / 5);
  CHECK(x("observed_winter_share_2015") == 0.0);
  CHECK(x("observed_winter_share_2016") == 0.0);
  CHECK(x("observed_top5_district_share_2015") == 1.0);  // pooled it is 6/8
  CHECK(x("observed_top5_district_share_2016") == 1.0);
  // Days: 2015-03-05, 03-20, 04-10, 2016-03-01, 06-10, 06-15, 06-20, 07-25; three in Ramadan.
  for (int day : {10, 15, 20}) CHECK(is_ramadan(to_day_number(CivilDate{2016, 6, day})));
  for (const auto& d : {CivilDate{2016, 7, 25}, CivilDate{2015, 4, 10}, CivilDate{2016, 3, 1}})
    CHECK_FALSE(is_ramadan(to_day_number(d)));
  CHECK(x("observed_ramadan_share") == 3.0 / 8);
  // Gaps 15 21 326 101 5 5 35, sorted 5 5 15 21 35 101 326.
  CHECK(x("observed_days_between_attacks_median") == 21);
  CHECK(x("observed_days_between_attacks_p90") == Approx(101 + 0.4 * (326 - 101)));
  {
    const double g[] = {15, 21, 326, 101, 5, 5, 35};
    double mean = 0, ss = 0;
    for (double gap : g) mean += gap / 7;
    for (double gap : g) ss += (gap - mean) * (gap - mean);
    const double sd = std::sqrt(ss / 7);
    CHECK(x("observed_burstiness") == Approx((sd - mean) / (sd + mean)));
  }
  CHECK(x("focal_members_mean_2016") == Approx((150.0 * 11 + 350) / 12));
  CHECK(x("focal_killed_Afghanistan") == 10);
  CHECK(x("focal_killed_Pakistan") == 0);
  CHECK(x("focal_captured_Pakistan") == 3);
  CHECK(x("focal_surrendered_Afghanistan") == 2);
  CHECK(x("focal_surrendered_Pakistan") == 0);
  CHECK(x("focal_captured_Afghanistan") == 0);
  // Every statistic has its hand-computed value above: a new one needs its line.
  for (const auto& name : s.names()) {
    INFO("statistic without a hand-computed check: " << name);
    CHECK(checked.contains(name));
  }
}

TEST_CASE("statistics: the focal group and strength year come from the options", "[statistics]") {
  const auto b = constructed();
  const SummaryStatistics isk(b.world);
  CHECK(isk.focal_group() == 0);
  const auto names = isk.names();
  CHECK(std::count(names.begin(), names.end(), "focal_members_mean_2017") == 1);
  CHECK(std::isnan(at(isk, isk.simulated(b.recorder), "focal_members_mean_2017")));  // no 2017 in the window
  const auto second_id = b.world.config.groups[1].id;
  const SummaryStatistics other(b.world, StatisticsOptions{.focal_group = second_id, .strength_year = 2015});
  CHECK(other.focal_group() == 1);
  const auto v = other.simulated(b.recorder);
  CHECK(at(other, v, "focal_members_mean_2015") == 1998);
  CHECK(at(other, v, "focal_killed_Afghanistan") == 500);
  CHECK_THROWS_WITH(SummaryStatistics(b.world, StatisticsOptions{.focal_group = "XYZ"}),
                    Catch::Contains("focal group 'XYZ' is not in the scenario"));
}

TEST_CASE("statistics: where each observed value comes from", "[statistics]") {
  const auto data = load_observed_data(test::bundled_data_dir());
  const auto w = test::world_from(test::config_from_file(test::baseline_config));
  const SummaryStatistics s(w);
  const auto obs = s.observed(data);
  for (std::size_t i = 0; i < s.all().size(); ++i) {
    const auto& st = s.all()[i];
    INFO(st.name);
    CHECK_FALSE(st.meaning.empty());
    CHECK(std::isnan(obs[i]) ==
          (st.source == ObservedSource::undefined || st.source == ObservedSource::validation_only));
  }
  const auto source = [&](const std::string& name) {
    for (const auto& st : s.all())
      if (st.name == name) return st.source;
    FAIL("no statistic " << name);
    return ObservedSource::undefined;
  };
  CHECK(source("observed_attacks_Afghanistan_2016") == ObservedSource::record);
  CHECK(source("focal_members_mean_2017") == ObservedSource::published_figure);
  CHECK(source("focal_killed_Afghanistan") == ObservedSource::published_figure);
  CHECK(source("focal_surrendered_Pakistan") == ObservedSource::undefined);
  // The F06/F07 midpoints: (2000 + 3500) / 2 and (1000 + 3000) / 2, averaged.
  CHECK(at(s, obs, "focal_members_mean_2017") == 2375);
  // Figures describe ISK in 2017: another strength year has no observed value.
  const SummaryStatistics y2016(w, StatisticsOptions{.focal_group = "", .strength_year = 2016});
  CHECK(std::isnan(at(y2016, y2016.observed(data), "focal_members_mean_2016")));
}

TEST_CASE("statistics: the simulated path gives the record's values when fed the record's attacks", "[statistics]") {
  // Every located incident of the record becomes an observed attack of a replicate (in its
  // district and month, with its fatalities and joint claim); both paths must then agree on every
  // statistic the record defines.
  auto data = load_observed_data(test::bundled_data_dir());
  std::erase_if(data.events.events, [](const ObservedEvent& e) { return !e.district; });
  REQUIRE(data.events.size() > 100);
  const auto w = test::world_from(test::config_from_file(test::baseline_config));
  Recorder r(w);
  const auto start = to_civil(w.config.start);
  for (const auto& e : data.events.events) {
    const auto n = to_day_number(e.date);
    if (n < w.config.start || n > w.config.end) continue;
    const auto m = static_cast<std::size_t>((e.date.year - start.year) * 12 + e.date.month - start.month);
    r.attacks[r.md(m, *e.district)] += 1;
    r.attacks_observed[r.md(m, *e.district)] += 1;
    // Joint with a group of the model (the record's Taliban co-attributions do not count).
    bool modelled = false;
    for (const auto& partner : e.joint_partners)
      for (std::size_t g = 1; g < w.config.groups.size(); ++g) modelled |= w.config.groups[g].named_as(partner);
    r.events.push_back(AttackEvent{n, *e.district, 0, static_cast<std::int8_t>(modelled ? 1 : -1),
                                   TargetClass::civilians, Tactic::other, e.fatalities, 1, 1,
                                   static_cast<std::uint8_t>(modelled), 0});
  }
  const SummaryStatistics s(w);
  const auto simulated = s.simulated(r);
  // The monthly-series statistics use the months the record covers; the baseline's are all covered.
  const auto observed = s.observed(data);
  std::size_t compared = 0;
  for (std::size_t i = 0; i < s.all().size(); ++i) {
    if (s.all()[i].source != ObservedSource::record) continue;
    INFO(s.all()[i].name);
    if (std::isnan(observed[i])) {
      CHECK(std::isnan(simulated[i]));
    } else {
      CHECK(simulated[i] == Approx(observed[i]).epsilon(1e-12));
    }
    ++compared;
  }
  CHECK(compared >= 35);
}
