#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <oneapi/tbb/global_control.h>

#include <atomic>
#include <fstream>
#include <iterator>
#include <mutex>
#include <set>
#include <thread>

#include "base/errors.hpp"
#include "base/text_file.hpp"
#include "ensemble/ensemble.hpp"
#include "model/simulation.hpp"
#include "output/hdf5.hpp"
#include "output/run_file.hpp"
#include "output/run_journal.hpp"
#include "support/model_fixture.hpp"

using namespace iskabm;

namespace {

std::string file_bytes(const std::filesystem::path& p) { return read_text_file(p); }

// Runs `replicates` replicates of `w` with `threads` threads into `path`; returns the order seen.
std::vector<std::uint64_t> run_to_file(const World& w, const std::filesystem::path& path, int threads,
                                       std::uint64_t replicates, std::set<std::thread::id>* workers = nullptr) {
  RunFileWriter writer(path, w, RunMetadata{"test", "config", 42, 0, {}, {}});
  std::vector<std::uint64_t> order;
  std::mutex mutex;
  const auto result = run_ensemble(
      w, EnsembleOptions{42, 0, replicates, threads, nullptr, {}},
      [&](ReplicateOutput& o) {
        o.prepared = std::make_shared<PreparedReplicate>(writer.prepare(o.replicate, o.recorder));
        std::lock_guard lock(mutex);
        if (workers) workers->insert(std::this_thread::get_id());
      },
      [&](ReplicateOutput& o) {
        order.push_back(o.replicate);
        writer.append(std::move(*std::static_pointer_cast<PreparedReplicate>(o.prepared)));
      });
  REQUIRE_FALSE(result.stopped);
  writer.commit();
  return order;
}

}  // namespace

TEST_CASE("ensemble: the result file is byte-identical for 1, 2 and 8 threads", "[ensemble]") {
  // Without raising the global limit, 8 threads on a 2-core machine would silently run 2.
  oneapi::tbb::global_control allow(oneapi::tbb::global_control::max_allowed_parallelism, 8);
  const auto w = test::world_from(test::config_from_file(test::small_config));
  test::TempDir dir;
  std::string reference;
  for (int threads : {1, 2, 8}) {
    const auto path = dir.path() / fmt::format("t{}.h5", threads);
    std::set<std::thread::id> workers;
    const auto order = run_to_file(w, path, threads, 24, &workers);
    REQUIRE(order.size() == 24);
    INFO("distinct simulating threads: " << workers.size());
    if (threads == 8) CHECK(workers.size() > 2);                  // really oversubscribed, not silently capped at 2
    for (std::uint64_t k = 0; k < 24; ++k) CHECK(order[k] == k);  // written in replicate order
    const auto bytes = file_bytes(path);
    REQUIRE(!bytes.empty());
    if (reference.empty()) reference = bytes;
    INFO(threads << " threads");
    CHECK(bytes == reference);
  }
}

TEST_CASE("ensemble: a stop request ends the run early, leaving a complete, resumable prefix", "[ensemble]") {
  const auto w = test::world_from(test::config_from_file(test::small_config));
  test::TempDir dir;
  std::atomic<bool> stop{false};
  const auto path = dir.path() / "stopped.h5";
  RunFileWriter writer(path, w, RunMetadata{"test", "config", 42, 0, {}, {}});
  std::uint64_t seen = 0;
  const auto result = run_ensemble(w, EnsembleOptions{42, 0, 1000, 2, &stop, {}}, nullptr, [&](ReplicateOutput& o) {
    writer.append(o.replicate, o.recorder);
    if (++seen == 5) stop = true;
  });
  CHECK(result.stopped);
  CHECK(result.replicates_done >= 5);
  CHECK(result.replicates_done < 1000);
  writer.suspend();
  auto tmp = path;
  tmp += ".tmp";
  REQUIRE(std::filesystem::exists(tmp));
  CHECK_FALSE(std::filesystem::exists(path));
  CHECK_THROWS_WITH(RunFileReader(tmp), Catch::Contains("an interrupted run's temporary file"));
  const auto copy = dir.path() / "copy.h5";  // a reader refuses the .tmp by name; its content is a prefix
  std::filesystem::copy_file(tmp, copy);
  const RunFileReader reader(copy);
  CHECK(reader.replicates_complete() == result.replicates_done);
}

TEST_CASE("ensemble: replaying a stored replicate reproduces it", "[ensemble]") {
  const auto w = test::world_from(test::config_from_file(test::small_config));
  test::TempDir dir;
  const auto a = dir.path() / "a.h5", b = dir.path() / "b.h5";
  run_to_file(w, a, 2, 6);
  {
    RunFileReader reader(a);
    REQUIRE(reader.replicates_complete() == 6);
    RunFileWriter writer(b, w, RunMetadata{"test", "config", 42, 0, {}, {}});
    Recorder rec;
    for (std::size_t k = 0; k < 6; ++k) {
      reader.read(k, w, rec);
      writer.append(k, rec);
    }
    writer.commit();
  }
  CHECK(file_bytes(a) == file_bytes(b));
}

TEST_CASE("journal: a torn tail or a torn header is dropped, intact records are replayed", "[ensemble][journal]") {
  const auto w = test::world_from(test::config_from_file(test::small_config));
  test::TempDir dir;
  const auto out = dir.path() / "j.h5";
  const auto path = dir.path() / "j.h5.journal";
  RunFileWriter writer(out, w, RunMetadata{"t", "c", 42, 0, {}, {}});
  std::vector<PreparedReplicate> written;
  {
    RunJournal journal(path, "identity");
    for (std::uint64_t r = 0; r < 3; ++r) {
      written.push_back(writer.prepare(r, run_replicate(w, 42, r)));
      journal.append(written.back());
    }
  }
  const auto full = std::filesystem::file_size(path);
  std::filesystem::resize_file(path, full - 5);  // the last record is torn
  std::vector<PreparedReplicate> replayed;
  std::unique_ptr<RunJournal> reopened;
  CHECK(RunJournal::recover(
            path, "identity", [&](PreparedReplicate&& p) { replayed.push_back(std::move(p)); }, reopened) == 2);
  REQUIRE(replayed.size() == 2);
  CHECK(replayed[1].replicate == 1);
  CHECK(replayed[1].chunks == written[1].chunks);
  CHECK(replayed[1].events.size() == written[1].events.size());
  reopened->append(written[2]);  // appending after the truncation continues the journal
  reopened.reset();
  replayed.clear();
  CHECK(RunJournal::recover(
            path, "identity", [&](PreparedReplicate&& p) { replayed.push_back(std::move(p)); }, reopened) == 3);
  reopened.reset();
  CHECK_THROWS_AS(RunJournal::recover(
                      path, "another run", [](PreparedReplicate&&) {}, reopened),
                  UsageError);
  std::filesystem::resize_file(path, 3);  // killed while writing the header
  CHECK(RunJournal::recover(
            path, "identity", [](PreparedReplicate&&) {}, reopened) == 0);
  reopened->append(written[0]);
  reopened.reset();
  CHECK(RunJournal::recover(
            path, "identity", [](PreparedReplicate&&) {}, reopened) == 1);
}

TEST_CASE("hdf5: an attribute rewritten 70,000 times stays writable", "[output]") {
  test::TempDir dir;
  const auto path = dir.path() / "a.h5";
  auto fcpl = h5::check(H5Pcreate(H5P_FILE_CREATE), "fcpl");
  h5::check_status(H5Pset_attr_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), "order");
  auto file = h5::check(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl, H5P_DEFAULT), "create");
  for (std::int64_t k = 0; k < 70000; ++k) h5::set_attribute(file, "replicates_complete", k);
  CHECK(h5::read_int_attribute(file, "replicates_complete") == 69999);
}
