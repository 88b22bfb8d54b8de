// The session layer's planned run, as `iskabm run` and `iskabm sweep` use it.
#include <catch2/catch.hpp>

#include "base/text_file.hpp"
#include "io/observed_data.hpp"
#include "output/run_file.hpp"
#include "session/planned_run.hpp"
#include "support/model_fixture.hpp"

using namespace iskabm;

TEST_CASE("planned run: names its output, records its canonical command, and writes what it reports", "[session]") {
  const auto data = load_observed_data(test::bundled_data_dir());
  test::TempDir dir;
  RunRequest request;
  request.config = test::small_config;
  request.output = dir.path() / "out" / "small.h5";
  request.replicates = 3;
  request.threads = 2;
  request.no_progress = true;
  PlannedRun run(data, request);
  CHECK(run.output() == request.output);
  CHECK(run.journal() == dir.path() / "out" / "small.h5.journal");
  CHECK(run.history() == "iskabm run small_config.toml --seed 42 --first-replicate 0 --replicates 3");
  CHECK(run.replicates() == 3);
  CHECK_FALSE(std::filesystem::exists(run.output()));  // planning touches nothing
  const auto outcome = run.execute();
  CHECK(outcome.exit_code == 0);
  CHECK(outcome.replicates_done == 3);
  REQUIRE(std::filesystem::exists(run.output()));
  CHECK_FALSE(std::filesystem::exists(run.journal()));
  // The yearly observed counts it hands back are the file's.
  const RunFileReader file(run.output());
  const auto& w = run.world();
  const auto years = static_cast<std::size_t>(w.calendar.years);
  REQUIRE(outcome.yearly_observed.size() == 3 * country_count * years);
  for (std::size_t k = 0; k < 3; ++k) {
    double from_file = 0, reported = 0;
    for (auto x : file.replicate_integers("attacks_observed", k)) from_file += static_cast<double>(x);
    for (std::size_t i = 0; i < country_count * years; ++i)
      reported += outcome.yearly_observed[k * country_count * years + i];
    CHECK(reported == from_file);
  }
  CHECK(outcome.last.months == static_cast<std::size_t>(w.calendar.months));
  // Planned again with the same request: the same identity, so a rerun gives the same bytes.
  const auto first = read_text_file(run.output());
  PlannedRun again(data, request);
  CHECK(again.history() == run.history());
  CHECK(again.configuration() == run.configuration());
  request.threads = 1;
  PlannedRun one_thread(data, request);
  CHECK(one_thread.execute().exit_code == 0);
  CHECK(read_text_file(run.output()) == first);
}
