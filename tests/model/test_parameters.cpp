#include <catch2/catch.hpp>

#include <set>

#include "base/errors.hpp"
#include "base/text_file.hpp"
#include "config/config_table.hpp"
#include "config/parameter_loader.hpp"
#include "model/parameters.hpp"
#include "support/data_copy.hpp"

using namespace iskabm;

namespace {
const std::filesystem::path defaults_file = std::filesystem::path(ISKABM_SOURCE_DIR) / "parameters" / "defaults.toml";

Parameters defaults() { return read_parameters(ConfigDocument::parse_file(defaults_file)->root()); }

std::string defaults_text() { return read_text_file(defaults_file); }
}  // namespace

TEST_CASE("parameters: every spec has a unique key, a unit, a sane range and a source", "[parameters]") {
  std::set<std::string_view> keys;
  for (const auto& s : parameter_specs()) {
    INFO(s.key);
    CHECK(keys.insert(s.key).second);
    CHECK(!s.unit.empty());
    CHECK(s.min <= s.max);
    CHECK(!s.meaning.empty());
    CHECK(!s.source.empty());
  }
  CHECK(parameter_specs().size() >= 60);
}

TEST_CASE("parameters: the defaults file sets every parameter inside its range", "[parameters]") {
  const auto p = defaults();
  for (const auto& s : parameter_specs()) {
    INFO(s.key);
    CHECK(p.*(s.field) >= s.min);
    CHECK(p.*(s.field) <= s.max);
  }
  CHECK(p.attack_cost_suicide == 3000.0);
  CHECK(p.observation_claim_probability == 0.73);
  // Capability keeps its know-how by default (docs/ODD.md §7.12; the shipped calibration assumes it).
  CHECK(p.capability_loss_weight == 0.0);
  CHECK(p.capability_memory_days == 1825.0);
}

TEST_CASE("parameters: bad values name file, line, column and key", "[parameters][errors]") {
  auto text = defaults_text();
  SECTION("out of range") {
    const auto k = text.find("base_rate = 0.004");
    REQUIRE(k != std::string::npos);
    text.replace(k, 17, "base_rate = 0.9");
    const auto line = 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<long>(k), '\n'));
    auto doc = ConfigDocument::parse_text(text, "defaults.toml");
    REQUIRE_DATA_ERROR(read_parameters(doc->root()), std::string("defaults.toml"), line, "attack.base_rate",
                       "0.9 is out of range [0, 0.5]");
  }
  SECTION("unknown key with a suggestion") {
    auto doc = ConfigDocument::parse_text("[attack]\nbase_rat = 0.1\n", "o.toml");
    Parameters p = defaults();
    REQUIRE_DATA_ERROR(override_parameters(p, doc->root()), std::string("o.toml"), 2, "attack.base_rat",
                       "did you mean 'base_rate'");
  }
  SECTION("wrong type") {
    auto doc = ConfigDocument::parse_text("[season]\nramadan_factor = \"high\"\n", "o.toml");
    Parameters p = defaults();
    REQUIRE_DATA_ERROR(override_parameters(p, doc->root()), std::string("o.toml"), 2, "season.ramadan_factor",
                       "has type string, expected a number");
  }
  SECTION("missing parameter") {
    const auto k = text.find("ramadan_factor = 1.2\n");
    REQUIRE(k != std::string::npos);
    text.erase(k, 21);
    auto doc = ConfigDocument::parse_text(text, "defaults.toml");
    try {
      (void)read_parameters(doc->root());
      FAIL("expected DataError");
    } catch (const DataError& e) {
      CHECK_THAT(e.message(), Catch::Matchers::Contains("missing parameter 'season.ramadan_factor'"));
    }
  }
  SECTION("syntax error has line and column") {
    try {
      (void)ConfigDocument::parse_text("[attack]\nbase_rate = 0.0x4\n", "s.toml");
      FAIL("expected DataError");
    } catch (const DataError& e) {
      CHECK(e.line() == 2);
      CHECK(e.column() > 0);
      CHECK_THAT(std::string(e.what()), Catch::Matchers::StartsWith("s.toml:2:"));
    }
  }
}

TEST_CASE("parameters: overrides change only what they name", "[parameters]") {
  Parameters p = defaults();
  const auto before = p;
  override_parameters(p, ConfigDocument::parse_text("[season]\nramadan_factor = 2\n", "o.toml")->root());
  CHECK(p.season_ramadan_factor == 2.0);
  CHECK(p.season_winter_lull_factor == before.season_winter_lull_factor);
}
