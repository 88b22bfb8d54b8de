#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <numeric>

#include "base/errors.hpp"
#include "base/text_file.hpp"
#include "model/simulation.hpp"
#include "output/hdf5.hpp"
#include "output/run_export.hpp"
#include "output/run_file.hpp"
#include "output/schema.hpp"
#include "output/staged_directory.hpp"
#include "support/model_fixture.hpp"

using namespace iskabm;
namespace fs = std::filesystem;

namespace {

// Writes replicates [0, written) of the small configuration; the history names `planned`.
fs::path write_run(const fs::path& dir, std::uint64_t written, std::uint64_t planned) {
  const auto w = test::world_from(test::config_from_file(test::small_config));
  const auto path = dir / "run.h5";
  RunFileWriter writer(
      path, w,
      RunMetadata{"iskabm run small_config.toml --seed 7 --first-replicate 0 --replicates " + std::to_string(planned),
                  "title = 'x'",
                  7,
                  0,
                  {},
                  {}});
  for (std::uint64_t r = 0; r < written; ++r) writer.append(r, run_replicate(w, 7, r));
  writer.commit();
  return path;
}

// Sums the last column of a CSV table by the value of column `key` (0-based), skipping the header.
std::map<std::string, long> sum_by(const fs::path& csv, std::size_t key, std::size_t* rows = nullptr) {
  std::ifstream in(csv);
  REQUIRE(in);
  std::map<std::string, long> out;
  std::string line;
  std::getline(in, line);
  std::size_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    std::vector<std::string> fields;
    std::size_t from = 0;
    for (std::size_t at; (at = line.find(',', from)) != std::string::npos; from = at + 1)
      fields.push_back(line.substr(from, at - from));
    fields.push_back(line.substr(from));
    out[fields.at(key)] += std::stol(fields.back());
  }
  if (rows) *rows = n;
  return out;
}

template <class T>
long total(const std::vector<T>& v) {
  return std::accumulate(v.begin(), v.end(), 0L, [](long a, T b) { return a + static_cast<long>(b); });
}

}  // namespace

TEST_CASE("export: the CSV tables hold exactly the HDF5 totals", "[output][export]") {
  test::TempDir dir;
  const auto run = write_run(dir.path(), 3, 3);
  fs::create_directories(dir.path() / "csv");
  const auto summary = export_run_csv(run, dir.path() / "csv");
  CHECK(summary.replicates == 3);

  h5::silence_error_printing();
  auto file = h5::check(H5Fopen(run.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "open");
  const auto district_month = sum_by(dir.path() / "csv" / "district_month.csv", 5);
  for (const char* v : {"attacks", "attacks_observed", "fatalities", "fatalities_observed"}) {
    INFO(v);
    const auto expected = total(h5::read_all<std::int32_t>(file, v));
    CHECK(expected > 0);
    CHECK(district_month.count(v) == 1);
    if (district_month.count(v)) CHECK(district_month.at(v) == expected);
  }
  const auto breakdown = sum_by(dir.path() / "csv" / "district_month_breakdown.csv", 5);
  for (const char* v : {"joint_attacks", "attacks_by_target", "attacks_by_tactic"}) {
    INFO(v);
    CHECK(breakdown.at(v) == total(h5::read_all<std::int32_t>(file, v)));
  }
  const auto group_month = sum_by(dir.path() / "csv" / "group_month.csv", 4);
  for (const char* v : {"group_members", "group_recruits", "group_killed", "group_attacks"}) {
    INFO(v);
    CHECK(group_month.at(v) == total(h5::read_all<std::int64_t>(file, v)));
  }
  std::size_t event_rows = 0;
  const auto events = sum_by(dir.path() / "csv" / "events.csv", 0, &event_rows);  // last column: joint_claimed
  CHECK(event_rows == h5::read_all<std::int32_t>(file, "event_fatalities").size());
  CHECK(events.size() == 3);  // replicates 0, 1, 2

  // Per-replicate totals: the whole-window "both countries" column adds up to the file's totals,
  // and no total shares a typed column ("all" never appears as a country or a year).
  std::ifstream in(dir.path() / "csv" / "replicate_window_totals.csv");
  std::string line;
  std::getline(in, line);
  CHECK(line == "replicate,variable,Afghanistan,Pakistan,both_countries");
  long attacks_all = 0;
  while (std::getline(in, line))
    if (line.find(",attacks,") != std::string::npos) attacks_all += std::stol(line.substr(line.rfind(',') + 1));
  CHECK(attacks_all == total(h5::read_all<std::int32_t>(file, "attacks")));
  const auto totals = read_text_file(dir.path() / "csv" / "replicate_totals.csv");
  CHECK(totals.find(",all") == std::string::npos);
}

TEST_CASE("export: --dense writes one row per replicate, month, district and variable", "[output][export]") {
  test::TempDir dir;
  const auto run = write_run(dir.path(), 1, 1);
  fs::create_directories(dir.path() / "csv");
  const auto summary = export_run_csv(run, dir.path() / "csv", ExportOptions{true});
  const auto w = test::world_from(test::config_from_file(test::small_config));
  const auto it = std::find_if(summary.tables.begin(), summary.tables.end(),
                               [](const auto& t) { return t.file == "district_month.csv"; });
  REQUIRE(it != summary.tables.end());
  CHECK(it->rows == static_cast<std::size_t>(w.calendar.months) * w.districts() *
                        output_variables(VariableRole::district_month).size());
}

TEST_CASE("export: an interrupted run's partial result is refused", "[output][export]") {
  test::TempDir dir;
  const auto run = write_run(dir.path(), 2, 5);
  fs::create_directories(dir.path() / "csv");
  CHECK_THROWS_WITH(export_run_csv(run, dir.path() / "csv"), Catch::Contains("2 of the 5 replicates"));
  std::ofstream(dir.path() / "not.h5") << "plain text";
  CHECK_THROWS_AS(export_run_csv(dir.path() / "not.h5", dir.path() / "csv"), IoError);
}

TEST_CASE("staged directory: replaced whole on commit, untouched on failure", "[output][export]") {
  test::TempDir dir;
  const auto target = dir.path() / "out";
  fs::create_directories(target);
  std::ofstream(target / "old.txt") << "previous result";
  {
    StagedDirectory staged(target);
    std::ofstream(staged.path() / "new.txt") << "half";
    // destroyed without commit: an error or interruption
  }
  CHECK(fs::exists(target / "old.txt"));
  CHECK_FALSE(fs::exists(target / "new.txt"));
  CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 1);  // no staging left
  {
    StagedDirectory staged(target);
    std::ofstream(staged.path() / "new.txt") << "whole";
    staged.commit();
  }
  CHECK(fs::exists(target / "new.txt"));
  CHECK_FALSE(fs::exists(target / "old.txt"));
  CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 1);
  std::ofstream(dir.path() / "file") << "x";
  CHECK_THROWS_AS(StagedDirectory(dir.path() / "file"), IoError);
}
