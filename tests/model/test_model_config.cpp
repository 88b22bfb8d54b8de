#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "base/errors.hpp"
#include "base/text_file.hpp"
#include "support/model_fixture.hpp"

using namespace iskabm;

namespace {
std::string small_text() { return read_text_file(test::small_config); }
// The small configuration with `from` replaced by `to` (which must occur once).
std::string with(const std::string& from, const std::string& to) {
  auto s = small_text();
  const auto k = s.find(from);
  REQUIRE(k != std::string::npos);
  REQUIRE(s.find(from, k + 1) == std::string::npos);
  return s.replace(k, from.size(), to);
}
std::size_t line_of(const std::string& text, const std::string& needle) {
  const auto k = text.find(needle);
  REQUIRE(k != std::string::npos);
  return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<long>(k), '\n'));
}
void expect_error(const std::string& text, const std::string& at, const std::string& key, const std::string& message) {
  try {
    (void)test::config_from_text(text);
    FAIL("expected a DataError");
  } catch (const DataError& e) {
    INFO(e.what());
    CHECK(e.line() == line_of(text, at));
    CHECK(e.column() > 0);
    CHECK(e.field() == key);
    CHECK_THAT(e.message(), Catch::Matchers::Contains(message));
  }
}
}  // namespace

TEST_CASE("model config: the baseline and the small configuration load", "[config]") {
  const auto c = test::config_from_file(test::baseline_config);
  CHECK(c.groups.size() == 4);
  CHECK(c.groups[0].id == "ISK");
  CHECK(c.find_group("LeJ") == 3);
  CHECK(c.ties.size() == 7);
  CHECK(c.pressure.size() == 11);
  CHECK(to_civil(c.start) == CivilDate{2014, 1, 1});
  CHECK(to_civil(c.end) == CivilDate{2018, 12, 31});
  std::size_t urban = 0;
  for (auto u : c.urban) urban += u;
  CHECK(urban == 15);
  const auto& geo = test::bundled_geography();
  CHECK(c.taliban_presence[*geo.find("AFG-038")] == 0.9);  // Lashkar Gah, Hilmand
  CHECK(c.taliban_presence[*geo.find("PAK15-036")] == 0.0);
  long isk = 0, isk_cells = 0;
  for (const auto& f : c.groups[0].footholds) isk += static_cast<long>(f.cells) * f.members, isk_cells += f.cells;
  CHECK(isk == 685);  // docs/ODD.md §5: below the 1,000-3,500 estimated for 2016-2017 (F06, F07)
  CHECK(isk_cells == 20);
  // The allies' strength ceilings (data/aggregates/ally_strength_figures.csv); ISK has none.
  CHECK(c.groups[0].strength_ceiling == 0);
  CHECK(c.groups[1].strength_ceiling == 6500);
  CHECK(c.groups[2].strength_ceiling == 1500);
  CHECK(c.groups[3].strength_ceiling == 500);

  const auto s = test::config_from_file(test::small_config);
  CHECK(s.parameters.joint_probability == 0.5);  // the override
  CHECK(s.posterior.empty());

  // The baseline draws its calibrated parameters from the shipped posterior, resolved against
  // the scenario's directory, and keeps 100 replicates by default.
  CHECK(c.posterior == (test::source_dir / "calibration" / "default_posterior.csv").lexically_normal());
  CHECK(c.replicates == 100);
}

TEST_CASE("model config: a posterior path is resolved against the scenario, not checked", "[config]") {
  // A missing file is `iskabm run`'s error (tests/cli/test_calibrate.sh): calibrating a scenario,
  // which makes the file, must not need it.
  const auto c = test::config_from_text(with("max_cells = 512", "max_cells = 512\nposterior = \"../x/p.h5\""));
  CHECK(c.posterior.filename() == "p.h5");
  CHECK(c.posterior.parent_path().filename() == "x");
  CHECK(c.posterior.is_absolute());
}

TEST_CASE("model config: errors name file, line, column and key", "[config][errors]") {
  expect_error(with("district = \"AFG-029\"", "district = \"AFG-029x\""), "AFG-029x", "group[0].footholds[0].district",
               "unknown district id 'AFG-029x' (did you mean 'AFG-029'?)");
  expect_error(with("groups = [\"ISK\", \"LeJ\"]", "groups = [\"ISK\", \"LeK\"]"), "LeK", "alliance_tie[0].groups",
               "unknown group 'LeK' (did you mean 'LeJ'?)");
  expect_error(with("provinces = [\"Nangarhar\"]", "provinces = [\"Nangarhr\"]"), "Nangarhr", "pressure[0].provinces",
               "did you mean 'Nangarhar'?");
  expect_error(with("end = 2016-12-31", "end = 2014-12-31"), "end = 2014", "run.end", "is before start");
  expect_error(with("type = \"operational\"\nquality = \"high_end\"", "type = \"operationl\"\nquality = \"high_end\""),
               "operationl", "alliance_tie[0].type", "did you mean 'operational'?");
  expect_error(with("max_cells = 512", "max_cells = 512\nmax_cell = 3"), "max_cell = 3", "run.max_cell",
               "unknown key (did you mean 'max_cells'?)");
  expect_error(with("external_funding = 2.0", "external_funding = 2.0\nstrength_ceiling = 0"), "strength_ceiling = 0",
               "group[0].strength_ceiling", "out of range");
  expect_error(with("level = 1.0", "level = -1.0"), "level = -1.0", "pressure[0].level", "out of range");
  expect_error(with("seed = 42", "seed = \"42\""), "seed = \"42\"", "run.seed", "has type string, expected an integer");
  expect_error(with("[parameters.joint]\nprobability = 0.5", "[parameters.joint]\nprobability = 1.5"),
               "probability = 1.5", "parameters.joint.probability", "out of range [0, 1]");
}
