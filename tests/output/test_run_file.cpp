#include <catch2/catch.hpp>

#include <numeric>

#include "base/errors.hpp"
#include "model/simulation.hpp"
#include "output/hdf5.hpp"
#include "output/run_file.hpp"
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
  CHECK(sum(std::vector<std::int64_t>(members.begin() + static_cast<long>(members.size() / 2), members.end())) == expected);
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
