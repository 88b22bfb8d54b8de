// Statistical tests of the seasonality and observation submodels with fixed seeds and strict
// thresholds. They run a "frozen" configuration in which nothing but attacks happens (no
// recruitment, losses, movement, fission or spending), so the attack hazard is constant up to the
// season factor and its expected effects are known exactly.
#include <boost/math/distributions/chi_squared.hpp>
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cmath>

#include "model/rules/rules.hpp"
#include "model/simulation.hpp"
#include "support/model_fixture.hpp"

using namespace iskabm;

namespace {

constexpr double members = 50, base_rate = 0.03;

std::string frozen_config(double fighting, double winter, double ramadan, double intercept, double slope) {
  // v1's structure: no self-excitation, capability or year effect to confound the rate checked.
  return fmt::format(R"(
[model]
structure = "v1"
[run]
start = 2015-01-01
end = 2024-12-31
seed = 7
[[group]]
id = "ISK"
name = "ISK"
home_country = "Afghanistan"
hostile_to_taliban = false
active_from = 2014-01-01
attack_propensity = 1.0
lethality = 1.0
external_funding = 0.0
targets = {{ civilians = 1.0 }}
tactics = {{ ied = 1.0 }}
footholds = [ {{ district = "AFG-029", cells = 50, members = 50 }}, {{ district = "AFG-100", cells = 50, members = 50 }},
              {{ district = "AFG-200", cells = 50, members = 50 }}, {{ district = "AFG-300", cells = 50, members = 50 }} ]
[parameters.recruitment]
per_member_rate = 0
walk_in_rate = 0
[parameters.attrition]
desertion_rate = 0
kill_rate = 0
capture_rate = 0
surrender_rate = 0
taliban_clash_rate = 0
[parameters.resources]
local_income = 0
upkeep = 0
initial_per_member = 100000
[parameters.movement]
base_rate = 0
pressure_rate = 0
[parameters.cells]
fission_rate = 0
fusion_size = 0
dissolve_size = 0
[parameters.attack]
base_rate = {}
reach = 0
[parameters.attack.cost]
suicide = 0
ied = 0
armed_assault = 0
other = 0
[parameters.season]
fighting_season_factor = {}
winter_lull_factor = {}
ramadan_factor = {}
year_amplitude_sd = 0
[parameters.observation]
intercept = {}
fatality_slope = {}
urban_effect = 0
pakistan_effect = 0
)",
                     base_rate, fighting, winter, ramadan, intercept, slope);
}

// Per-cell daily hazard without season: base x m/(m + m_half) x R/(R + R_half).
double base_hazard(const World& w) {
  const auto& p = w.config.parameters;
  const double r = p.resources_initial_per_member * members;
  return base_rate * members / (members + p.attack_capability_half_members) * r /
         (r + p.attack_capability_half_resources);
}

struct DayCounts {
  std::vector<long> attacks;  // per day of the window
  long cells = 0;
};

DayCounts attacks_per_day(const World& w, std::uint64_t replicates) {
  DayCounts out;
  out.attacks.assign(w.days(), 0);
  for (std::uint64_t r = 0; r < replicates; ++r)
    for (const auto& e : run_replicate(w, w.config.seed, r).events)
      ++out.attacks[static_cast<std::size_t>(e.day - w.config.start)];
  for (const auto& f : w.config.groups[0].footholds) out.cells += f.cells;
  out.cells *= static_cast<long>(replicates);
  return out;
}

// Chi-square goodness of fit of attack counts per calendar month against the days in each month.
double month_profile_p_value(const World& w, const DayCounts& c) {
  double observed[12] = {}, days[12] = {};
  for (std::size_t t = 0; t < w.days(); ++t) {
    observed[w.calendar.month[t] - 1] += static_cast<double>(c.attacks[t]);
    days[w.calendar.month[t] - 1] += 1;
  }
  double total = 0, total_days = 0;
  for (int m = 0; m < 12; ++m) total += observed[m], total_days += days[m];
  double chi2 = 0;
  for (int m = 0; m < 12; ++m) {
    const double expected = total * days[m] / total_days;
    chi2 += (observed[m] - expected) * (observed[m] - expected) / expected;
  }
  return boost::math::cdf(boost::math::complement(boost::math::chi_squared(11), chi2));
}

// Attacks per cell-day on days selected by `pick`, and the number of such cell-days.
template <class Pick>
std::pair<double, double> rate_on(const World& w, const DayCounts& c, Pick pick) {
  double n = 0, days = 0;
  for (std::size_t t = 0; t < w.days(); ++t)
    if (pick(t)) n += static_cast<double>(c.attacks[t]), days += 1;
  return {n, days * static_cast<double>(c.cells)};
}

// z statistic of log(rate1/rate2) against log(expected ratio), Poisson errors.
double log_ratio_z(std::pair<double, double> a, std::pair<double, double> b, double expected_ratio) {
  const double observed = std::log((a.first / a.second) / (b.first / b.second));
  return (observed - std::log(expected_ratio)) / std::sqrt(1 / a.first + 1 / b.first);
}

}  // namespace

TEST_CASE("statistics: with seasonality off the month-of-year profile is flat", "[statistics]") {
  const auto w = test::world_from(test::config_from_text(frozen_config(1.0, 1.0, 1.0, 0.0, 0.0)));
  const auto c = attacks_per_day(w, 2);
  long total = 0;
  for (auto x : c.attacks) total += x;
  CHECK(total > 20000);
  const double p = month_profile_p_value(w, c);
  INFO("p = " << p);
  CHECK(p > 1e-3);

  // Negative control: a 10 % winter lull is detected by the same test.
  const auto w2 = test::world_from(test::config_from_text(frozen_config(1.0, 0.9, 1.0, 0.0, 0.0)));
  CHECK(month_profile_p_value(w2, attacks_per_day(w2, 2)) < 1e-6);
}

TEST_CASE("statistics: the winter lull and the fighting season have their configured size", "[statistics]") {
  const double F = 1.25, W = 0.7;
  const auto w = test::world_from(test::config_from_text(frozen_config(F, W, 1.0, 0.0, 0.0)));
  const auto c = attacks_per_day(w, 2);
  const double h = base_hazard(w);
  const auto phase = [&](SeasonPhase ph) { return [&w, ph](std::size_t t) { return w.calendar.phase[t] == ph; }; };
  const auto winter = rate_on(w, c, phase(SeasonPhase::winter_lull));
  const auto fighting = rate_on(w, c, phase(SeasonPhase::fighting_season));
  const auto spring = rate_on(w, c, phase(SeasonPhase::spring));
  // Daily attack probability is 1 - exp(-h S); the expected ratios follow.
  const auto prob = [h](double s) { return -std::expm1(-h * s); };
  const double z_winter = log_ratio_z(winter, spring, prob(W) / prob(1.0));
  const double z_fighting = log_ratio_z(fighting, spring, prob(F) / prob(1.0));
  INFO("winter/spring z = " << z_winter << ", fighting/spring z = " << z_fighting);
  CHECK(std::abs(z_winter) < 4);
  CHECK(std::abs(z_fighting) < 4);
  // ...and the effect is far from nothing.
  CHECK(std::abs(log_ratio_z(winter, spring, 1.0)) > 10);
}

TEST_CASE("statistics: Ramadan raises the attack rate by its configured factor", "[statistics]") {
  const double R = 1.5;
  const auto w = test::world_from(test::config_from_text(frozen_config(1.0, 1.0, R, 0.0, 0.0)));
  const auto c = attacks_per_day(w, 2);
  const double h = base_hazard(w);
  const auto in = rate_on(w, c, [&](std::size_t t) { return w.calendar.ramadan[t] != 0; });
  const auto out = rate_on(w, c, [&](std::size_t t) { return w.calendar.ramadan[t] == 0; });
  const double z = log_ratio_z(in, out, -std::expm1(-h * R) / -std::expm1(-h));
  INFO("Ramadan z = " << z);
  CHECK(std::abs(z) < 4);
  CHECK(std::abs(log_ratio_z(in, out, 1.0)) > 10);
}

TEST_CASE("statistics: the observation model reports attacks at its configured rate", "[statistics]") {
  for (const double p_report : {0.05, 0.3, 0.8}) {
    const double logit = std::log(p_report / (1 - p_report));
    const auto w = test::world_from(test::config_from_text(frozen_config(1.0, 1.0, 1.0, logit, 0.0)));
    const auto r = run_replicate(w, 7, 0);
    double n = 0, observed = 0, claimed = 0;
    for (const auto& e : r.events) n += 1, observed += e.observed, claimed += e.claimed;
    const double rate = observed / n, se = std::sqrt(p_report * (1 - p_report) / n);
    INFO("p = " << p_report << ": observed " << rate << " of " << n);
    CHECK(std::abs(rate - p_report) < 4 * se);
    const double pc = w.config.parameters.observation_claim_probability;
    CHECK(std::abs(claimed / observed - pc) < 4 * std::sqrt(pc * (1 - pc) / observed));
  }
  // The reporting probability rises with fatalities and urban location.
  const auto& p = test::config_from_file(test::baseline_config).parameters;
  CHECK(rules::reporting_probability(p, Mechanisms{}, 20, false, false, 2017) >
        rules::reporting_probability(p, Mechanisms{}, 1, false, false, 2017));
  CHECK(rules::reporting_probability(p, Mechanisms{}, 1, true, false, 2017) >
        rules::reporting_probability(p, Mechanisms{}, 1, false, false, 2017));
}
