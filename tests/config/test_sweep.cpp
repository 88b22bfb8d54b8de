// Sweep files: the grid's expansion order and names, the deep merge of the levels' scenario
// tables (tables merge, arrays of tables add up, conflicting keys are errors naming both axes),
// the generated scenarios read back by the scenario loader, errors pointed back at the sweep
// file's lines, and the summary CSV.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include "base/errors.hpp"
#include "config/config_table.hpp"
#include "config/sweep.hpp"
#include "support/data_error.hpp"
#include "support/model_fixture.hpp"

using namespace iskabm;

namespace {

// A sweep file in `dir` (next to a `scenarios/` that holds a copy of the shipped baseline, so that
// relative paths are exercised), and its directory for generated scenarios.
struct SweepDir {
  test::TempDir tmp;
  std::filesystem::path sweep_file, scenario_dir;
  SweepDir() {
    std::filesystem::create_directories(tmp.path() / "scenarios" / "sweeps");
    std::filesystem::copy_file(test::baseline_config, tmp.path() / "scenarios" / "baseline.toml");
    std::filesystem::create_directories(tmp.path() / "calibration");
    std::filesystem::copy_file(test::source_dir / "calibration" / "default_posterior.csv",
                               tmp.path() / "calibration" / "default_posterior.csv");
    sweep_file = tmp.path() / "scenarios" / "sweeps" / "s.toml";
    scenario_dir = tmp.path() / "results" / "s" / "scenarios";
    std::filesystem::create_directories(scenario_dir);
  }
  Sweep parse(const std::string& text) const { return Sweep::parse(text, sweep_file); }
  // Writes a variant's generated scenario and loads it as `iskabm run` would.
  ModelConfig load(const SweepVariant& v) const {
    const auto file = scenario_dir / (v.name + ".toml");
    std::ofstream(file) << v.scenario_toml;
    return test::config_from_file(file);
  }
};

using test::data_error;

const std::string grid = R"toml(title = "Air x ties"
base = "../baseline.toml"
replicates = 4

[[axis]]
name = "air"
  [[axis.level]]
  label = "half"
  note = "US air pressure halved"
  [axis.level.scenario]
  intervention = [ { kind = "pressure_multiplier", actor = "us_air", countries = ["Afghanistan"], start = 2016-01-01, multiplier = 0.5 } ]
  [[axis.level]]
  label = "double"
  [axis.level.scenario]
  intervention = [ { kind = "pressure_multiplier", actor = "us_air", countries = ["Afghanistan"], start = 2016-01-01, multiplier = 2.0 } ]
  [axis.level.scenario.parameters]
  attack.base_rate = 0.004

[[axis]]
name = "ties"
  [[axis.level]]
  label = "kept"
  [[axis.level]]
  label = "cut_2016"
  [axis.level.scenario]
  tie_change = [ { groups = ["ISK", "TTP"], types = ["operational"], end = 2016-01-01 } ]
  [[axis.level.scenario.intervention]]
  kind = "funding"
  groups = ["ISK"]
  start = 2016-01-01
  multiplier = 0.5
  [axis.level.scenario.parameters]
  recruitment.walk_in_rate = 0.01
)toml";

}  // namespace

TEST_CASE("sweep: a grid expands in a fixed order, first axis slowest, the reference first", "[ensemble][sweep]") {
  SweepDir d;
  const auto s = d.parse(grid);
  CHECK(s.title() == "Air x ties");
  CHECK(s.replicates() == std::optional<std::uint64_t>(4));
  CHECK(s.has_reference());
  CHECK(s.is_grid());
  CHECK(s.axes() == std::vector<std::string>{"air", "ties"});
  CHECK(s.size() == 5);
  CHECK(std::filesystem::equivalent(s.base(), d.tmp.path() / "scenarios" / "baseline.toml"));
  const auto v = s.variants(d.scenario_dir);
  REQUIRE(v.size() == 5);
  const std::vector<std::string> names{"reference", "air-half_ties-kept", "air-half_ties-cut_2016",
                                       "air-double_ties-kept", "air-double_ties-cut_2016"};
  for (std::size_t i = 0; i < v.size(); ++i) {
    CHECK(v[i].index == i);
    CHECK(v[i].name == names[i]);
  }
  CHECK(v[0].reference);
  CHECK(v[0].scenario_toml.empty());
  CHECK(v[0].labels.empty());
  CHECK(v[2].labels == std::vector<std::string>{"half", "cut_2016"});

  SECTION("without the reference, the grid alone") {
    const auto r = d.parse("reference = false\n" + grid);
    CHECK(r.size() == 4);
    const auto w = r.variants(d.scenario_dir);
    REQUIRE(w.size() == 4);
    CHECK(w[0].index == 0);
    CHECK(w[0].name == "air-half_ties-kept");
    CHECK(w[3].name == "air-double_ties-cut_2016");
  }
}

TEST_CASE("sweep: the generated scenarios extend the base and read back through the scenario loader",
          "[ensemble][sweep]") {
  SweepDir d;
  const auto s = d.parse(grid);
  const auto v = s.variants(d.scenario_dir);
  const auto base = test::config_from_file(s.base());

  // The base path is relative to the generated file's directory and names the base scenario.
  const auto doc = ConfigDocument::parse_text(v[4].scenario_toml, "generated");
  const auto root = doc->root();
  const std::filesystem::path rel = root.string("base");
  CHECK(rel.is_relative());
  CHECK(std::filesystem::equivalent(d.scenario_dir / rel, s.base()));
  CHECK(root.string("title") == "Air x ties: air=double, ties=cut_2016");
  CHECK(root.string("description").find("Variant air-double_ties-cut_2016 of the sweep s.toml") == 0);

  SECTION("an empty level changes nothing but the title") {
    const auto c = d.load(v[1]);  // air-half_ties-kept: one intervention
    CHECK(c.title == "Air x ties: air=half, ties=kept");
    CHECK(c.seed == base.seed);
    CHECK(c.replicates == base.replicates);
    CHECK(c.ties.size() == base.ties.size());
    REQUIRE(c.interventions.size() == base.interventions.size() + 1);
    CHECK(c.interventions.back().kind == InterventionKind::pressure_multiplier);
    CHECK(c.interventions.back().value == 0.5);
    CHECK(c.posterior == base.posterior);  // inherited, still found from the generated file's directory
  }
  SECTION("tables merge key by key, arrays of tables add up in axis order") {
    const auto c = d.load(v[4]);  // air-double_ties-cut_2016
    REQUIRE(c.interventions.size() == base.interventions.size() + 2);
    CHECK(c.interventions[base.interventions.size()].kind == InterventionKind::pressure_multiplier);
    CHECK(c.interventions[base.interventions.size()].value == 2.0);
    CHECK(c.interventions[base.interventions.size() + 1].kind == InterventionKind::funding);
    CHECK(c.parameters.attack_base_rate == 0.004);         // from axis air
    CHECK(c.parameters.recruitment_walk_in_rate == 0.01);  // from axis ties
    const auto isk = static_cast<GroupIndex>(c.find_group("ISK")), ttp = static_cast<GroupIndex>(c.find_group("TTP"));
    for (const auto& t : c.ties)
      if (t.type == TieType::operational &&
          ((t.first == isk && t.second == ttp) || (t.first == ttp && t.second == isk)))
        CHECK(to_civil(t.end) == CivilDate{2015, 12, 31});
  }
  SECTION("the generated text is stable") { CHECK(s.variants(d.scenario_dir)[4].scenario_toml == v[4].scenario_toml); }
}

TEST_CASE("sweep: keys two axes set", "[ensemble][sweep]") {
  SweepDir d;
  const std::string head = "base = \"../baseline.toml\"\n";
  SECTION("the same value twice is fine") {
    const auto s = d.parse(head + R"toml(
[[axis]]
name = "a"
[[axis.level]]
label = "x"
scenario = { parameters = { attack = { base_rate = 0.004 } } }
[[axis]]
name = "b"
[[axis.level]]
label = "y"
scenario = { parameters = { attack = { base_rate = 0.004 } } }
)toml");
    CHECK(d.load(s.variants(d.scenario_dir)[1]).parameters.attack_base_rate == 0.004);
  }
  SECTION("different values are an error naming both axes, at the second") {
    const auto s = d.parse(head + R"toml(
[[axis]]
name = "a"
[[axis.level]]
label = "x"
scenario = { parameters = { attack = { base_rate = 0.004 } } }
[[axis]]
name = "b"
[[axis.level]]
label = "y"
[[axis.level]]
label = "z"
scenario = { parameters = { attack = { base_rate = 0.006 } } }
)toml");
    const auto e = data_error([&] { (void)s.variants(d.scenario_dir); });
    CHECK_THAT(e, Catch::Contains("s.toml:14:40:") &&
                      Catch::Contains("axis[1].level[1].scenario.parameters.attack.base_rate") &&
                      Catch::Contains("axis 'a' (level 'x')") && Catch::Contains("axis 'b' (level 'z')") &&
                      Catch::Contains("0.004") && Catch::Contains("0.006"));
  }
  SECTION("a table against a value is a conflict too") {
    const auto s = d.parse(head + R"toml(
[[axis]]
name = "a"
[[axis.level]]
label = "x"
scenario = { output = { events = false } }
[[axis]]
name = "b"
[[axis.level]]
label = "y"
scenario = { output = 1 }
)toml");
    CHECK_THAT(data_error([&] { (void)s.variants(d.scenario_dir); }), Catch::Contains("axis 'a' (level 'x')"));
  }
  SECTION("pressure_remove lists add up, each label once") {
    const auto s = d.parse(head + R"toml(
[[axis]]
name = "a"
[[axis.level]]
label = "x"
scenario = { pressure_remove = ["Operation Zarb-e-Azb (North Waziristan, Shawal valley into South Waziristan)"] }
[[axis]]
name = "b"
[[axis.level]]
label = "y"
scenario = { pressure_remove = ["Operation Radd-ul-Fasaad, nationwide", "Operation Zarb-e-Azb (North Waziristan, Shawal valley into South Waziristan)"] }
)toml");
    const auto base = test::config_from_file(s.base());
    CHECK(d.load(s.variants(d.scenario_dir)[1]).pressure.size() == base.pressure.size() - 2);
  }
}

TEST_CASE("sweep: a list of variants", "[ensemble][sweep]") {
  SweepDir d;
  const auto s = d.parse(R"toml(base = "../baseline.toml"
mode = "list"
reference = false
[[variant]]
label = "funding_cut"
scenario = { intervention = [ { kind = "funding", groups = ["ISK"], start = 2016-01-01, multiplier = 0.0 } ] }
[[variant]]
label = "border.sealed"
  [variant.scenario]
  intervention = [ { kind = "border", start = 2015-07-01, multiplier = 0.0 } ]
)toml");
  CHECK_FALSE(s.is_grid());
  CHECK(s.axes().empty());
  CHECK(s.title() == "s");
  const auto v = s.variants(d.scenario_dir);
  REQUIRE(v.size() == 2);
  CHECK(v[0].name == "funding_cut");
  CHECK(v[1].name == "border.sealed");
  CHECK(v[1].labels == std::vector<std::string>{"border.sealed"});
  const auto c = d.load(v[1]);
  CHECK(c.title == "s: border.sealed");
  CHECK(c.interventions.back().kind == InterventionKind::border);
}

TEST_CASE("sweep: a level's posterior is relative to the sweep file", "[ensemble][sweep]") {
  SweepDir d;
  const auto s = d.parse(R"toml(base = "../baseline.toml"
[[axis]]
name = "posterior"
[[axis.level]]
label = "shipped"
scenario = { run = { posterior = "../../calibration/default_posterior.csv" } }
[[axis.level]]
label = "none"
scenario = { run = { posterior = "" } }
)toml");
  const auto v = s.variants(d.scenario_dir);
  CHECK(std::filesystem::equivalent(d.load(v[1]).posterior, d.tmp.path() / "calibration" / "default_posterior.csv"));
  CHECK(d.load(v[2]).posterior.empty());
}

TEST_CASE("sweep: errors in the sweep file name line, column and key", "[ensemble][sweep][errors]") {
  SweepDir d;
  const std::string head = "base = \"../baseline.toml\"\n";
  const auto axis = [](const std::string& level) { return "[[axis]]\nname = \"a\"\n[[axis.level]]\n" + level; };
  const auto error = [&](const std::string& text) { return data_error([&] { (void)d.parse(text); }); };
  CHECK_THAT(error("base = \"../nowhere.toml\"\n" + axis("label = \"x\"\n")),
             Catch::Contains("s.toml:1:8: base: no such scenario"));
  CHECK_THAT(error(axis("label = \"x\"\n")), Catch::Contains("missing required key 'base'"));
  CHECK_THAT(error(head + "replicate = 3\n"),
             Catch::Contains("s.toml:2:1: replicate: unknown key (did you mean 'replicates'?)"));
  CHECK_THAT(error(head + "replicates = 0\n" + axis("label = \"x\"\n")),
             Catch::Contains("replicates: 0 is out of range"));
  CHECK_THAT(error(head), Catch::Contains("at least one [[axis]]"));
  CHECK_THAT(error(head + "[[axis]]\nname = \"a\"\n"), Catch::Contains("axis[0].level: an axis needs at least one"));
  CHECK_THAT(error(head + axis("label = \"half strength\"\n")),
             Catch::Contains("s.toml:5:9: axis[0].level[0].label: 'half strength' is not a valid label"));
  CHECK_THAT(error(head + axis("label = \"-x\"\n")), Catch::Contains("is not a valid label"));
  CHECK_THAT(error(head + axis("label = \"x\"\n[[axis.level]]\nlabel = \"x\"\n")),
             Catch::Contains("axis[0].level[1].label: duplicate label 'x' in axis 'a'"));
  CHECK_THAT(error(head + "[[axis]]\nname = \"air-power\"\n[[axis.level]]\nlabel = \"x\"\n"),
             Catch::Contains("axis[0].name: 'air-power' is not a valid axis name"));
  CHECK_THAT(error(head + "[[axis]]\nname = \"metric\"\n[[axis.level]]\nlabel = \"x\"\n"),
             Catch::Contains("'metric' is a column of the summary"));
  CHECK_THAT(error(head + axis("label = \"x\"\n") + axis("label = \"y\"\n")),
             Catch::Contains("duplicate axis name 'a'"));
  CHECK_THAT(error(head + axis("label = \"x\"\nscenario = { base = \"other.toml\" }\n")),
             Catch::Contains("axis[0].level[0].scenario.base: 'base' of a variant is set by the sweep"));
  CHECK_THAT(error(head + axis("label = \"x\"\nscenario = { run = { seed = 7 } }\n")),
             Catch::Contains("scenario.run.seed: every variant runs with the base scenario's seed"));
  CHECK_THAT(error(head + axis("label = \"x\"\nscenario = 3\n")), Catch::Contains("expected a table of scenario keys"));
  CHECK_THAT(error(head + axis("label = \"x\"\nlevel = 3\n")), Catch::Contains("axis[0].level[0].level: unknown key"));
  CHECK_THAT(error(head + "mode = \"matrix\"\n"), Catch::Contains("mode: unknown value 'matrix'"));
  CHECK_THAT(error(head + "[[variant]]\nlabel = \"x\"\n"), Catch::Contains("[[variant]] entries need mode = \"list\""));
  CHECK_THAT(error(head + "mode = \"list\"\n[[variant]]\nlabel = \"reference\"\n"),
             Catch::Contains("'reference' is the name of the base scenario's run"));
  // Labels may hold '-' and '_': names that would collide are refused.
  CHECK_THAT(error(head + "[[axis]]\nname = \"a\"\n[[axis.level]]\nlabel = \"x_b-y\"\n[[axis.level]]\nlabel = \"x\"\n"
                          "[[axis]]\nname = \"b\"\n[[axis.level]]\nlabel = \"y_b-y\"\n[[axis.level]]\nlabel = \"y\"\n"),
             Catch::Contains("two variants would be named 'a-x_b-y_b-y'"));
  CHECK_THAT(error(head + "[[axis\n"), Catch::Contains("TOML syntax error"));
}

TEST_CASE("sweep: labels and axis names", "[ensemble][sweep]") {
  CHECK(valid_sweep_label("cut_2016"));
  CHECK(valid_sweep_label("x0.5"));
  CHECK(valid_sweep_label("2x"));
  CHECK_FALSE(valid_sweep_label(""));
  CHECK_FALSE(valid_sweep_label(".hidden"));
  CHECK_FALSE(valid_sweep_label("a/b"));
  CHECK_FALSE(valid_sweep_label("a b"));
  CHECK_FALSE(valid_sweep_label(std::string(65, 'a')));
  CHECK(valid_sweep_axis_name("air_pressure"));
  CHECK_FALSE(valid_sweep_axis_name("air-pressure"));
  CHECK_FALSE(valid_sweep_axis_name("2air"));
}

TEST_CASE("sweep: an error in a generated scenario points at the sweep file's line", "[ensemble][sweep][errors]") {
  SweepDir d;
  const auto s = d.parse(R"toml(base = "../baseline.toml"
[[axis]]
name = "air"
[[axis.level]]
label = "kept"
[[axis.level]]
label = "typo"
  [[axis.level.scenario.intervention]]
  kind = "pressure_multiplier"
  actor = "us_air"
  provinces = ["Nangarhar"]
  start = 2016-01-01
  multplier = 2.0
)toml");
  const auto v = s.variants(d.scenario_dir);
  REQUIRE(v.size() == 3);
  CHECK_NOTHROW(d.load(v[1]));
  const auto generated = d.scenario_dir / (v[2].name + ".toml");
  try {
    (void)d.load(v[2]);
    FAIL("no error");
  } catch (const DataError& e) {
    CHECK(e.file() == generated.string());
    CHECK(e.field() == "intervention[0].multplier");
    const auto located = s.locate(e, v[2], generated);
    CHECK(located.file() == d.sweep_file.string());
    CHECK(located.line() == 13);
    CHECK(located.column() == 3);
    CHECK(located.field() == "axis[0].level[1].scenario.intervention[0].multplier");
    CHECK_THAT(located.message(), Catch::Contains("did you mean 'multiplier'?"));
  }
  // Errors elsewhere (here: in the base) stay as they are.
  const DataError other("elsewhere.toml", 3, 1, "run.seed", "bad");
  CHECK(std::string(s.locate(other, v[2], generated).what()) == other.what());
}

TEST_CASE("sweep: the summary as tidy CSV", "[ensemble][sweep]") {
  const std::vector<SweepSummaryRow> rows{{.variant = "reference",
                                           .labels = {},
                                           .metric = "attacks",
                                           .scope = "all",
                                           .period = "2014-2018",
                                           .replicates = 4,
                                           .median = 150.5,
                                           .q05 = 120,
                                           .q95 = 180,
                                           .difference_median = 0.0,
                                           .difference_q05 = 0.0,
                                           .difference_q95 = 0.0,
                                           .median_error = 4.5,
                                           .difference_error = 0.0},
                                          {.variant = "air-half_ties-kept",
                                           .labels = {"half", "kept"},
                                           .metric = "attacks",
                                           .scope = "Pakistan",
                                           .period = "2014-2018",
                                           .replicates = 4,
                                           .median = 30,
                                           .q05 = 20.25,
                                           .q95 = 41,
                                           .difference_median = -2.5,
                                           .difference_q05 = -7,
                                           .difference_q95 = 1,
                                           .median_error = 1.25,
                                           .difference_error = 0.75},
                                          {.variant = "air-half_ties-kept",
                                           .labels = {"half", "kept"},
                                           .metric = "fatalities",
                                           .scope = "all",
                                           .period = "2014-2018",
                                           .replicates = 4,
                                           .median = 300,
                                           .q05 = 250,
                                           .q95 = 350,
                                           .difference_median = std::nullopt,
                                           .difference_q05 = std::nullopt,
                                           .difference_q95 = std::nullopt,
                                           .median_error = std::nan(""),
                                           .difference_error = std::nullopt}};
  CHECK(
      sweep_summary_csv({"air", "ties"}, rows) ==
      "variant,air,ties,metric,scope,period,replicates,median,q05,q95,difference_median,difference_q05,difference_q95,"
      "median_mcse,difference_mcse\n"
      "reference,,,attacks,all,2014-2018,4,150.5,120,180,0,0,0,4.5,0\n"
      "air-half_ties-kept,half,kept,attacks,Pakistan,2014-2018,4,30,20.25,41,-2.5,-7,1,1.25,0.75\n"
      "air-half_ties-kept,half,kept,fatalities,all,2014-2018,4,300,250,350,,,,nan,\n");
}

TEST_CASE("sweep: generated text: quoted keys, escaped strings, shortest floats", "[ensemble][sweep]") {
  SweepDir d;
  const auto s = d.parse(R"toml(base = "../baseline.toml"
[[axis]]
name = "a"
[[axis.level]]
label = "x"
  [axis.level.scenario.parameters]
  attack.base_rate = 0.004
  [axis.level.scenario.districts.taliban_presence_by_province]
  "Federally Administered Tribal Areas" = 0.1
  [[axis.level.scenario.intervention]]
  kind = "funding"
  label = 'say "hi" \ to the "funders"'
  start = 2016-01-01
  multiplier = 0.3
)toml");
  const auto v = s.variants(d.scenario_dir);
  const auto& text = v[1].scenario_toml;
  CHECK_THAT(text, Catch::Contains("base_rate = 0.004\n") && Catch::Contains("multiplier = 0.3\n") &&
                       Catch::Contains("\"Federally Administered Tribal Areas\" = 0.1\n") &&
                       Catch::Contains("[districts.taliban_presence_by_province]") &&
                       Catch::Contains("[[intervention]]"));
  const auto c = d.load(v[1]);
  CHECK(c.parameters.attack_base_rate == 0.004);
  CHECK(c.interventions.back().label == "say \"hi\" \\ to the \"funders\"");
  CHECK(c.interventions.back().value == 0.3);
  const auto fata = *test::bundled_geography().find_province("Federally Administered Tribal Areas");
  for (auto dist : test::bundled_geography().districts_of_province(fata)) CHECK(c.taliban_presence[dist] == 0.1);
}
