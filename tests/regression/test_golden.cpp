// Golden regression: replicate 0 of tests/fixtures/small_config.toml, written as text, must equal
// tests/golden/small_run_v2.txt (model v2 and the cell-day draws, the defaults); with the draws
// of every result made before issue 22 ([run] draws = "per_purpose"), small_run_v2_per_purpose.txt
// (v2's output before issue 22) and, with v1's structure ([model] structure = "v1"),
// tests/golden/small_run.txt: the file v1 wrote before v2 existed. So earlier results stay
// reproducible to the byte. A change of model behaviour shows up here first. To accept
// an intended change, regenerate with  ISKABM_UPDATE_GOLDEN=1 build/tests/iskabm_tests "[golden]"
// and record why in CHANGELOG.md.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "model/simulation.hpp"
#include "support/model_fixture.hpp"

using namespace iskabm;

namespace {

std::string as_text(const World& w, const Recorder& r) {
  std::string out = "# replicate 0 of tests/fixtures/small_config.toml\n# month group country";
  for (std::size_t k = 0; k < group_metric_count; ++k)
    out += fmt::format(" {}", to_string(static_cast<GroupMetric>(k)));
  out += "\n";
  for (std::size_t m = 0; m < r.months; ++m)
    for (GroupIndex g = 0; g < w.config.group_count(); ++g)
      for (std::size_t c = 0; c < country_count; ++c) {
        out += fmt::format("{} {} {}", m, w.config.groups[g].id, country_name(static_cast<Country>(c)));
        for (std::size_t k = 0; k < group_metric_count; ++k)
          out += fmt::format(" {}", r.group_metric(m, g, static_cast<Country>(c), static_cast<GroupMetric>(k)));
        out += "\n";
      }
  out += "# day district group partner target tactic fatalities observed claimed joint_claimed cell\n";
  for (const auto& e : r.events)
    out += fmt::format("{} {} {} {} {} {} {} {} {} {} {}\n", to_iso_string(to_civil(e.day)),
                       w.geography->district_id[e.district], w.config.groups[e.group].id,
                       e.partner < 0 ? "-" : w.config.groups[static_cast<std::size_t>(e.partner)].id,
                       to_string(e.target), to_string(e.tactic), e.fatalities, int{e.observed}, int{e.claimed},
                       int{e.joint_claimed}, e.cell_uid);
  return out;
}

void check_golden(const char* structure, DrawScheme draws, const char* file) {
  auto config = test::config_from_file(test::small_config);
  config.mechanisms = mechanisms_of_structure(structure);
  config.draws = draws;
  const auto w = test::world_from(std::move(config));
  const auto text = as_text(w, run_replicate(w, w.config.seed, 0));
  const auto golden = test::source_dir / "tests" / "golden" / file;
  if (const char* update = std::getenv("ISKABM_UPDATE_GOLDEN"); update && std::string(update) == "1") {
    std::ofstream(golden) << text;
    WARN("golden file rewritten: " << golden.string());
  }
  std::ifstream in(golden);
  REQUIRE(in);
  std::stringstream expected;
  expected << in.rdbuf();
  // Compare line by line for a readable failure.
  std::istringstream a(text), b(expected.str());
  std::string la, lb;
  std::size_t line = 0;
  while (true) {
    const bool ga = static_cast<bool>(std::getline(a, la)), gb = static_cast<bool>(std::getline(b, lb));
    ++line;
    if (!ga && !gb) break;
    INFO("line " << line);
    REQUIRE(ga == gb);
    REQUIRE(la == lb);
  }
}

}  // namespace

TEST_CASE("golden: the small configuration reproduces its recorded output (model v2)", "[golden]") {
  check_golden("v2", DrawScheme::cell_day, "small_run_v2.txt");
}

TEST_CASE("golden: with per-purpose draws, v2 reproduces its output from before issue 22", "[golden]") {
  check_golden("v2", DrawScheme::per_purpose, "small_run_v2_per_purpose.txt");
}

TEST_CASE("golden: v1's structure reproduces the output v1 recorded before v2 existed", "[golden]") {
  check_golden("v1", DrawScheme::per_purpose, "small_run.txt");
}
