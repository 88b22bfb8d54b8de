#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <numeric>
#include <sstream>

#include "base/text_file.hpp"
#include "model/rules/rules.hpp"
#include "model/simulation.hpp"
#include "support/model_fixture.hpp"

using namespace iskabm;

namespace {

// Checks the model's invariants after every stage of every day.
class InvariantChecker : public ScheduleObserver {
 public:
  explicit InvariantChecker(const World& w) : w_(w) {}

  void after(Stage stage, const rules::Day& day, const State& s, const Recorder&) override {
    const auto& c = s.cells;
    long total = 0;
    for (std::size_t i = 0; i < c.count; ++i) {
      if (c.members[i] < 0) fail("members negative", day);
      if (c.resources[i] < 0) fail("resources negative", day);
      if (c.district[i] >= w_.districts()) fail("district out of range", day);
      total += c.alive[i] ? c.members[i] : 0;
    }
    if (stage == Stage::attacked) {  // just before fission/fusion and movement
      before_move_.clear();
      for (std::size_t i = 0; i < c.count; ++i)
        if (c.alive[i]) before_move_[c.uid[i]] = c.district[i];
      members_before_ = total;
    }
    if (stage == Stage::split_and_merged) {
      // Fission and fusion move members between cells but create or destroy none, except those
      // dispersed by dissolution, which the recorder counts.
      if (total > members_before_) fail("fission/fusion created members", day);
      members_before_ = total;
      for (std::size_t i = 0; i < c.count; ++i)
        if (c.alive[i] && !before_move_.contains(c.uid[i])) before_move_[c.uid[i]] = c.district[i];
    }
    if (stage == Stage::moved) {
      if (total != members_before_) fail("movement did not conserve members", day);
      for (std::size_t i = 0; i < c.count; ++i) {
        if (!c.alive[i]) continue;
        const auto from = before_move_.at(c.uid[i]), to = c.district[i];
        const auto nb = w_.geography->neighbours(from);
        if (to != from && !std::binary_search(nb.begin(), nb.end(), to)) fail("cell moved off the adjacency", day);
        moves_ += to != from;
      }
    }
    ++checks_;
  }
  long checks_ = 0, moves_ = 0;

 private:
  void fail(const char* what, const rules::Day& day) { FAIL(what << " on " << to_iso_string(to_civil(day.number))); }
  const World& w_;
  std::map<std::uint64_t, DistrictIndex> before_move_;
  long members_before_ = 0;
};

void check_events(const World& w, const Recorder& r) {
  for (const auto& e : r.events) {
    REQUIRE(e.fatalities >= 0);
    REQUIRE((e.claimed <= e.observed));
    REQUIRE((e.joint_claimed <= e.observed));
    if (e.partner < 0) {
      REQUIRE(e.joint_claimed == 0);
      continue;
    }
    // A joint attack needs an operational tie between the two groups, active that day.
    bool tied = false;
    for (const auto& t : w.config.ties)
      tied |= t.type == TieType::operational && t.active(e.day) &&
              ((t.first == e.group && t.second == e.partner) || (t.second == e.group && t.first == e.partner));
    INFO("joint attack on " << to_iso_string(to_civil(e.day)) << " by " << w.config.groups[e.group].id << " with "
                            << w.config.groups[static_cast<std::size_t>(e.partner)].id);
    REQUIRE(tied);
  }
}

// Members at each month end follow from the month's flows: d(members) = recruits - losses.
void check_accounting(const World& w, const Recorder& r) {
  using M = GroupMetric;
  long previous = 0;
  for (const auto& g : w.config.groups)
    for (const auto& f : g.footholds) previous += static_cast<long>(f.cells) * f.members;
  for (std::size_t m = 0; m < r.months; ++m) {
    long members = 0, flow = 0;
    for (GroupIndex g = 0; g < w.config.group_count(); ++g)
      for (std::size_t c = 0; c < country_count; ++c) {
        const auto country = static_cast<Country>(c);
        members += r.group_metric(m, g, country, M::members);
        flow += r.group_metric(m, g, country, M::recruits);
        for (auto k : {M::killed, M::captured, M::surrendered, M::killed_by_taliban, M::deserted, M::dispersed})
          flow -= r.group_metric(m, g, country, k);
        flow += r.group_metric(m, g, country, M::defections_in) - r.group_metric(m, g, country, M::defections_out);
      }
    INFO("month " << m);
    REQUIRE(members == previous + flow);
    previous = members;
  }
}

}  // namespace

TEST_CASE("simulation: invariants hold every day of the baseline and the small configuration", "[simulation]") {
  for (const auto& file : {test::baseline_config, test::small_config}) {
    const auto w = test::world_from(test::config_from_file(file));
    for (std::uint64_t rep : {0u, 1u}) {
      INFO(file.filename().string() << " replicate " << rep);
      InvariantChecker checker(w);
      State s;
      Recorder r;
      run_replicate(w, w.config.seed, rep, s, r, &checker);
      CHECK(checker.checks_ == static_cast<long>(w.days()) * 8);
      CHECK(checker.moves_ > 0);  // the movement checks saw moves
      check_events(w, r);
      check_accounting(w, r);
      CHECK(!r.events.empty());
    }
  }
}

TEST_CASE("simulation: the same seed gives the same run, another replicate a different one", "[simulation]") {
  const auto w = test::world_from(test::config_from_file(test::small_config));
  const auto a = run_replicate(w, 42, 3), b = run_replicate(w, 42, 3), c = run_replicate(w, 42, 4),
             d = run_replicate(w, 43, 3);
  CHECK(a.attacks == b.attacks);
  CHECK(a.fatalities == b.fatalities);
  CHECK(a.group_monthly == b.group_monthly);
  REQUIRE(a.events.size() == b.events.size());
  for (std::size_t i = 0; i < a.events.size(); ++i) {
    CHECK(a.events[i].day == b.events[i].day);
    CHECK(a.events[i].fatalities == b.events[i].fatalities);
  }
  CHECK(a.group_monthly != c.group_monthly);
  CHECK(a.group_monthly != d.group_monthly);
}

TEST_CASE("simulation: no attacks before a group becomes active, and joint attacks happen", "[simulation]") {
  const auto w = test::world_from(test::config_from_file(test::small_config));
  const auto r = run_replicate(w, 42, 0);
  std::size_t joint = 0;
  for (const auto& e : r.events) {
    CHECK(e.day >= w.config.groups[e.group].active_from);
    joint += e.partner >= 0;
  }
  CHECK(joint > 0);
}

TEST_CASE("simulation: common random numbers: two scenarios agree until they differ", "[simulation][crn]") {
  // The same configuration with one more pressure episode from June 2016: every day before it
  // must be identical, and the runs must differ afterwards.
  const auto text = read_text_file(test::small_config);
  const auto base = test::world_from(test::config_from_file(test::small_config));
  const auto whatif =
      test::world_from(test::config_from_text(
          text + "\n[[pressure]]\nactor = \"afghan_forces\"\nprovinces = [\"Nangarhar\", \"Kabul\"]\n"
                 "start = 2016-06-01\nlevel = 2.0\n"));
  const auto change = to_day_number({2016, 6, 1});
  for (std::uint64_t rep = 0; rep < 3; ++rep) {
    const auto a = run_replicate(base, 42, rep), b = run_replicate(whatif, 42, rep);
    std::size_t before_a = 0, before_b = 0;
    for (const auto& e : a.events) before_a += e.day < change;
    for (const auto& e : b.events) before_b += e.day < change;
    REQUIRE(before_a == before_b);
    for (std::size_t i = 0; i < before_a; ++i) {
      CHECK(a.events[i].day == b.events[i].day);
      CHECK(a.events[i].cell_uid == b.events[i].cell_uid);
      CHECK(a.events[i].fatalities == b.events[i].fatalities);
    }
    const std::size_t months_before = 17;  // January 2015 - May 2016
    const auto n = months_before * a.groups * country_count * group_metric_count;
    CHECK(std::equal(a.group_monthly.begin(), a.group_monthly.begin() + static_cast<long>(n), b.group_monthly.begin()));
    CHECK(a.group_monthly != b.group_monthly);
  }
}
