#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cmath>
#include <numeric>
#include <set>

#include "base/errors.hpp"
#include "model/simulation.hpp"
#include "output/hdf5.hpp"
#include "output/run_file.hpp"
#include "output/schema.hpp"
#include "statistics/summary_statistics.hpp"
#include "support/model_fixture.hpp"

using namespace iskabm;

namespace {
template <class T>
long sum(const std::vector<T>& v) {
  return std::accumulate(v.begin(), v.end(), 0L, [](long a, T b) { return a + static_cast<long>(b); });
}
}  // namespace

TEST_CASE("run file: replicates written are read back exactly", "[output]") {
  const auto w = test::world_from(test::config_from_file(test::small_config));
  test::TempDir dir;
  const auto path = dir.path() / "run.h5";
  std::vector<Recorder> recs;
  {
    RunFileWriter writer(path, w, RunMetadata{"iskabm run test", "title = 'x'", 42, 0, {}, {}});
    for (std::uint64_t r = 5; r < 7; ++r) {
      recs.push_back(run_replicate(w, 42, r));
      writer.append(r, recs.back());
    }
    CHECK(std::filesystem::exists(dir.path() / "run.h5.tmp"));
    CHECK_FALSE(std::filesystem::exists(path));
    writer.commit();
  }
  REQUIRE(std::filesystem::exists(path));
  CHECK_FALSE(std::filesystem::exists(dir.path() / "run.h5.tmp"));

  h5::silence_error_printing();
  auto file = h5::check(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "open");
  CHECK(h5::read_int_attribute(file, "replicates_complete") == 2);
  CHECK(h5::read_string_attribute(file, "Conventions") == "CF-1.8");
  CHECK(h5::read_string_attribute(file, "history") == "iskabm run test");
  CHECK(h5::read_all<std::int64_t>(file, "replicate") == std::vector<std::int64_t>{5, 6});
  const auto M = static_cast<hsize_t>(w.calendar.months), D = static_cast<hsize_t>(w.districts());
  CHECK(h5::dims(file, "attacks") == std::vector<hsize_t>{2, M, D});
  CHECK(h5::dims(file, "joint_attacks") == std::vector<hsize_t>{2, M, D, 3});
  CHECK(h5::read_strings(file, "group") == std::vector<std::string>{"ISK", "LeJ", "TTP"});
  CHECK(h5::read_strings(file, "district").at(28) == "AFG-029");

  const auto attacks = h5::read_all<std::int32_t>(file, "attacks");
  const auto n = M * D;
  CHECK(std::vector<std::int32_t>(attacks.begin(), attacks.begin() + static_cast<long>(n)) == recs[0].attacks);
  CHECK(std::vector<std::int32_t>(attacks.begin() + static_cast<long>(n), attacks.end()) == recs[1].attacks);
  CHECK(sum(h5::read_all<std::int32_t>(file, "attacks_observed")) ==
        sum(recs[0].attacks_observed) + sum(recs[1].attacks_observed));
  CHECK(sum(h5::read_all<std::int32_t>(file, "attacks_by_target")) == sum(attacks));
  CHECK(sum(h5::read_all<std::int32_t>(file, "attacks_by_tactic")) == sum(attacks));

  const auto events = h5::read_all<std::int32_t>(file, "event_fatalities");
  REQUIRE(events.size() == recs[0].events.size() + recs[1].events.size());
  CHECK(sum(events) == sum(h5::read_all<std::int32_t>(file, "fatalities")));
  const auto ev_rep = h5::read_all<std::int64_t>(file, "event_replicate");
  CHECK(ev_rep.front() == 5);
  CHECK(ev_rep.back() == 6);
  CHECK(sum(attacks) == static_cast<long>(events.size()));

  const auto members = h5::read_all<std::int64_t>(file, "group_members");
  long expected = 0;
  for (std::size_t m = 0; m < recs[1].months; ++m)
    for (GroupIndex g = 0; g < 3; ++g)
      for (std::size_t c = 0; c < country_count; ++c)
        expected += recs[1].group_metric(m, g, static_cast<Country>(c), GroupMetric::members);
  CHECK(sum(std::vector<std::int64_t>(members.begin() + static_cast<long>(members.size() / 2), members.end())) ==
        expected);
}

TEST_CASE("run file: an uncommitted writer leaves nothing behind", "[output]") {
  const auto w = test::world_from(test::config_from_file(test::small_config));
  test::TempDir dir;
  const auto path = dir.path() / "run.h5";
  {
    RunFileWriter writer(path, w, RunMetadata{"x", "", 1, 0, {}, {}});
    writer.append(0, run_replicate(w, 1, 0));
  }
  CHECK_FALSE(std::filesystem::exists(path));
  CHECK_FALSE(std::filesystem::exists(dir.path() / "run.h5.tmp"));
}

TEST_CASE("run file: an unwritable path is an I/O error", "[output]") {
  const auto w = test::world_from(test::config_from_file(test::small_config));
  CHECK_THROWS_AS(RunFileWriter("/nonexistent-dir/run.h5", w, RunMetadata{}), IoError);
}

TEST_CASE("run file: every variable of the schema is read back equal to what the recorder holds", "[output]") {
  // Expected values are taken from the Recorder field by field, by name, independently of the
  // schema's own accessors: a schema row wired to the wrong field fails here. Every schema
  // variable must be checked, so a new one needs its line below.
  const auto w = test::world_from(test::config_from_file(test::small_config));
  test::TempDir dir;
  const auto path = dir.path() / "run.h5";
  const std::vector<double> theta{0.01, -2.5};
  std::vector<Recorder> recs;
  {
    RunFileWriter writer(
        path, w,
        RunMetadata{"iskabm run test", "title = 'x'", 42, 3, {"attack.base_rate", "observation.intercept"}, "post.h5"});
    for (std::uint64_t r = 3; r < 5; ++r) {
      recs.push_back(run_replicate(w, 42, r));
      writer.append(writer.prepare(r, recs.back(), nullptr, &theta));
    }
    writer.commit();
  }
  const RunFileReader run(path);
  REQUIRE(run.replicates_complete() == 2);
  std::set<std::string> checked;
  const auto as64 = [](const auto& v) { return std::vector<std::int64_t>(v.begin(), v.end()); };
  for (std::size_t k = 0; k < 2; ++k) {
    const auto& r = recs[k];
    const auto same = [&](const std::string& name, const std::vector<std::int64_t>& expected) {
      INFO(name << ", replicate " << k);
      CHECK(run.replicate_integers(name, k) == expected);
      checked.insert(name);
    };
    same("attacks", as64(r.attacks));
    same("attacks_observed", as64(r.attacks_observed));
    same("fatalities", as64(r.fatalities));
    same("fatalities_observed", as64(r.fatalities_observed));
    same("joint_attacks", as64(r.joint_attacks));
    same("attacks_by_target", as64(r.attacks_by_target));
    same("attacks_by_tactic", as64(r.attacks_by_tactic));
    for (std::size_t metric = 0; metric < group_metric_count; ++metric) {
      std::vector<std::int64_t> expected;
      for (std::size_t m = 0; m < r.months; ++m)
        for (GroupIndex g = 0; g < r.groups; ++g)
          for (auto c : {Country::afghanistan, Country::pakistan})
            expected.push_back(r.group_metric(m, g, c, static_cast<GroupMetric>(metric)));
      same(fmt::format("group_{}", to_string(static_cast<GroupMetric>(metric))), expected);
    }
    const auto stats = run.replicate_doubles("summary_statistics", k), expected = summary_statistics(w, r);
    REQUIRE(stats.size() == expected.size());
    for (std::size_t i = 0; i < stats.size(); ++i)
      CHECK((stats[i] == expected[i] || (std::isnan(stats[i]) && std::isnan(expected[i]))));
    checked.insert("summary_statistics");
    CHECK(run.replicate_doubles("parameter_values", k) == theta);
    checked.insert("parameter_values");
  }
  // Events, in order over both replicates.
  std::vector<const AttackEvent*> events;
  std::vector<std::int64_t> replicate_of;
  for (std::size_t k = 0; k < 2; ++k)
    for (const auto& e : recs[k].events) events.push_back(&e), replicate_of.push_back(static_cast<std::int64_t>(3 + k));
  REQUIRE_FALSE(events.empty());
  const auto column = [&](const std::string& name, auto field) {
    std::vector<std::int64_t> expected;
    for (const auto* e : events) expected.push_back(static_cast<std::int64_t>(field(*e)));
    INFO(name);
    CHECK(run.integers(name) == expected);
    checked.insert(name);
  };
  CHECK(run.integers("event_replicate") == replicate_of);
  checked.insert("event_replicate");
  std::vector<double> days;
  for (const auto* e : events) days.push_back(static_cast<double>(e->day));
  CHECK(run.doubles("event_time") == days);
  checked.insert("event_time");
  column("event_district", [](const AttackEvent& e) { return e.district; });
  column("event_fatalities", [](const AttackEvent& e) { return e.fatalities; });
  column("event_group", [](const AttackEvent& e) { return e.group; });
  column("event_partner", [](const AttackEvent& e) { return e.partner; });
  column("event_target", [](const AttackEvent& e) { return static_cast<int>(e.target); });
  column("event_tactic", [](const AttackEvent& e) { return static_cast<int>(e.tactic); });
  column("event_observed", [](const AttackEvent& e) { return e.observed; });
  column("event_claimed", [](const AttackEvent& e) { return e.claimed; });
  column("event_joint_claimed", [](const AttackEvent& e) { return e.joint_claimed; });
  for (const auto& v : output_schema()) {
    INFO("schema variable without a read-back check: " << v.name);
    CHECK(checked.contains(v.name));
  }
  // Some of each is non-zero, so the checks compare something.
  CHECK(sum(recs[0].fatalities_observed) > 0);
  CHECK(sum(recs[0].fatalities_observed) < sum(recs[0].fatalities));
}
