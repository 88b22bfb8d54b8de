// The shipped scenarios: each loads, runs, and does what its title says; the resolved TOML of a
// scenario reproduces it exactly; scenario-specific errors name file, line and key.
#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <sstream>

#include "base/errors.hpp"
#include "base/text_file.hpp"
#include "config/scenario_loader.hpp"
#include "model/rules/rules.hpp"
#include "model/simulation.hpp"
#include "support/model_fixture.hpp"

using namespace iskabm;

namespace {
const auto scenarios_dir = test::source_dir / "scenarios";
ModelConfig scenario(const char* name) { return test::config_from_file(scenarios_dir / name); }

long total(const Recorder& r, GroupMetric k, GroupIndex g, std::size_t from_month = 0) {
  long n = 0;
  for (std::size_t m = from_month; m < r.months; ++m)
    for (std::size_t c = 0; c < country_count; ++c) n += r.group_metric(m, g, static_cast<Country>(c), k);
  return n;
}
}  // namespace

TEST_CASE("scenarios: every shipped scenario loads, and its resolved text reproduces it", "[scenarios]") {
  std::size_t n = 0;
  for (const auto& entry : std::filesystem::directory_iterator(scenarios_dir)) {
    if (entry.path().extension() != ".toml") continue;
    ++n;
    INFO(entry.path().filename().string());
    const auto c = test::config_from_file(entry.path());
    const auto resolved = test::config_from_text(resolved_toml(c, test::bundled_geography()));
    CHECK(resolved.ties.size() == c.ties.size());
    CHECK(resolved.interventions.size() == c.interventions.size());
    const auto a = run_replicate(test::world_from(c), c.seed, 1);
    const auto b = run_replicate(test::world_from(resolved), resolved.seed, 1);
    CHECK(a.group_monthly == b.group_monthly);
    CHECK(a.attacks == b.attacks);
    CHECK(a.events.size() == b.events.size());
  }
  CHECK(n == 14);
}

TEST_CASE("scenarios: cutting operational ties ends joint attacks in 2016", "[scenarios]") {
  const auto base = test::world_from(scenario("baseline_2015_2018.toml"));
  const auto cut = test::world_from(scenario("operational_ties_cut_2016.toml"));
  const auto from = to_day_number({2016, 1, 1});
  std::size_t joint_base = 0, joint_cut = 0, joint_cut_before = 0;
  for (std::uint64_t r = 0; r < 5; ++r) {
    for (const auto& e : run_replicate(base, base.config.seed, r).events) joint_base += e.partner >= 0 && e.day >= from;
    for (const auto& e : run_replicate(cut, cut.config.seed, r).events) {
      joint_cut += e.partner >= 0 && e.day >= from;
      joint_cut_before += e.partner >= 0 && e.day < from;
    }
  }
  CHECK(joint_base > 20);
  CHECK(joint_cut == 0);
  CHECK(joint_cut_before > 0);
}

TEST_CASE("scenarios: a sealed border stops cross-border moves", "[scenarios]") {
  const auto base = test::world_from(scenario("baseline_2015_2018.toml"));
  const auto sealed = test::world_from(scenario("border_sealed.toml"));
  const std::size_t from_month = 18;  // July 2015
  long moves_base = 0, moves_sealed = 0;
  for (std::uint64_t r = 0; r < 5; ++r)
    for (GroupIndex g = 0; g < 4; ++g) {
      moves_base += total(run_replicate(base, base.config.seed, r), GroupMetric::cross_border_moves, g, from_month);
      moves_sealed +=
          total(run_replicate(sealed, sealed.config.seed, r), GroupMetric::cross_border_moves, g, from_month);
    }
  CHECK(moves_base > 0);
  CHECK(moves_sealed == 0);
}

TEST_CASE("scenarios: a recruitment surge raises ISK recruitment, and a funding cut starves ISK", "[scenarios]") {
  const auto base = test::world_from(scenario("baseline_2015_2018.toml"));
  const auto surge = test::world_from(scenario("online_recruitment_surge.toml"));
  const auto cut = test::world_from(scenario("funding_cut.toml"));
  long rec_base = 0, rec_surge = 0, attacks_base = 0, attacks_cut = 0;
  for (std::uint64_t r = 0; r < 5; ++r) {
    const auto b = run_replicate(base, base.config.seed, r);
    rec_base += total(b, GroupMetric::recruits, 0, 24);
    attacks_base += total(b, GroupMetric::attacks, 0, 24);
    rec_surge += total(run_replicate(surge, surge.config.seed, r), GroupMetric::recruits, 0, 24);
    attacks_cut += total(run_replicate(cut, cut.config.seed, r), GroupMetric::attacks, 0, 24);
  }
  CHECK(rec_surge > rec_base * 1.2);
  CHECK(attacks_cut < attacks_base);
}

TEST_CASE("scenarios: the 2021 withdrawal frees prisoners and makes the Taliban the state", "[scenarios]") {
  const auto c = scenario("withdrawal_2021.toml");
  CHECK(to_civil(c.end) == CivilDate{2025, 12, 31});
  const auto w = test::world_from(c);
  const auto r = run_replicate(w, c.seed, 0);
  const std::size_t august_2021 = (2021 - 2014) * 12 + 7;
  long recruits = 0;
  for (std::size_t k = 0; k < country_count; ++k)
    recruits += r.group_metric(august_2021, 0, static_cast<Country>(k), GroupMetric::recruits);
  CHECK(recruits >= 2 * 10 * 60);  // the reinforcement counts as recruits
  const auto day = static_cast<std::size_t>(to_day_number({2022, 1, 1}) - c.start);
  const auto& cond = w.conditions[w.conditions_of_day[day]];
  const auto kabul = *test::bundled_geography().find("AFG-187");
  CHECK(cond.taliban_presence[kabul] == 1.0);
  const auto n = w.districts();
  CHECK(cond.by_actor[static_cast<std::size_t>(PressureActor::afghan_forces) * n + kabul] == 0.0f);
  CHECK(cond.by_actor[static_cast<std::size_t>(PressureActor::taliban_state) * n + kabul] > 0.0f);
}

TEST_CASE("scenarios: errors of the scenario format", "[scenarios][errors]") {
  test::TempDir dir;
  {  // the baseline without its posterior (a path relative to the scenarios folder)
    std::ifstream in(scenarios_dir / "baseline_2015_2018.toml");
    std::ofstream out(dir.path() / "baseline_2015_2018.toml");
    for (std::string line; std::getline(in, line);)
      if (!line.starts_with("posterior =")) out << line << '\n';
  }
  const auto expect = [&](const std::string& text, std::size_t line, const std::string& key,
                          const std::string& message) {
    const auto file = dir.path() / "whatif.toml";
    std::ofstream(file) << text;
    try {
      (void)test::config_from_file(file);
      FAIL("expected a DataError");
    } catch (const DataError& e) {
      INFO(e.what());
      CHECK(e.file() == file.string());
      CHECK(e.line() == line);
      CHECK(e.field() == key);
      CHECK_THAT(e.message(), Catch::Matchers::Contains(message));
    }
  };
  expect("base = \"nowhere.toml\"\n", 1, "base", "base scenario not found");
  expect(
      "base = \"baseline_2015_2018.toml\"\n[[tie_change]]\ngroups = [\"ISK\", \"LeJ\"]\ntypes = [\"logistical\"]\nend "
      "= 2016-01-01\n",
      3, "tie_change[0].groups", "no alliance tie between ISK and LeJ");
  expect("base = \"baseline_2015_2018.toml\"\npressure_remove = [\"2017 Nangarhar air campaign\"]\n", 2,
         "pressure_remove",
         "did you mean '2017 Nangarhar air campaign (Operation Hamza; MOAB on Achin, April 2017; F07, F08)'?");
  expect(
      "base = \"baseline_2015_2018.toml\"\n[[intervention]]\nkind = \"border\"\nstart = 2016-01-01\nmultiplier = 0\n"
      "groups = [\"ISK\"]\n",
      6, "intervention[0].groups", "unknown key");
  expect("base = \"baseline_2015_2018.toml\"\n[[intervention]]\nkind = \"fundng\"\nstart = 2016-01-01\n", 3,
         "intervention[0].kind", "did you mean 'funding'?");
  expect(
      "base = \"baseline_2015_2018.toml\"\n[[intervention]]\nkind = \"funding\"\ngroups = [\"IKS\"]\nstart = "
      "2016-01-01\n"
      "multiplier = 0\n",
      4, "intervention[0].groups", "unknown group 'IKS' (did you mean 'ISK'?)");
  expect("base = \"baseline_2015_2018.toml\"\n[run]\nparameters = \"x.toml\"\n", 3, "run.parameters",
         "root of a base chain");
  expect("base = \"baseline_2015_2018.toml\"\n[run]\nend = 2013-12-31\n", 3, "run.end", "is before start 2014-01-01");
  expect("base = \"baseline_2015_2018.toml\"\n[[group]]\nid = \"ISK\"\n", 2, "group[0]", "missing required key");
  expect("base = \"baseline_2015_2018.toml\"\n[run]\ndraws = \"per_cell\"\n", 3, "run.draws",
         "unknown draw scheme 'per_cell'");
}

TEST_CASE("scenarios: [run] draws chooses the draw scheme, and the resolved text keeps it", "[scenarios]") {
  test::TempDir dir;
  const auto file = dir.path() / "old_draws.toml";
  std::ofstream(file) << "base = \"" << (scenarios_dir / "baseline_2015_2018.toml").string()
                      << "\"\n[run]\ndraws = \"per_purpose\"\n";
  const auto c = test::config_from_file(file);
  CHECK(c.draws == DrawScheme::per_purpose);
  CHECK(test::config_from_file(scenarios_dir / "baseline_2015_2018.toml").draws == DrawScheme::cell_day);
  const auto text = resolved_toml(c, test::bundled_geography());
  CHECK_THAT(text, Catch::Matchers::Contains("draws = \"per_purpose\""));
  CHECK(test::config_from_text(text).draws == DrawScheme::per_purpose);
  // The default is named too: a fingerprint or a journal built from the text tells the schemes apart.
  const auto default_text =
      resolved_toml(test::config_from_file(scenarios_dir / "baseline_2015_2018.toml"), test::bundled_geography());
  CHECK_THAT(default_text, Catch::Matchers::Contains("draws = \"cell_day\""));
  CHECK(default_text != text);
}

TEST_CASE("scenarios: edge cases of ties, labels and footholds", "[scenarios]") {
  test::TempDir dir;
  std::filesystem::copy(test::small_config, dir.path() / "small.toml");
  const auto load = [&](const std::string& text) {
    std::ofstream(dir.path() / "w.toml") << "base = \"small.toml\"\n" << text;
    return test::config_from_file(dir.path() / "w.toml");
  };
  // A tie ended on (or before) its own start never exists, and the resolved text stays valid.
  const auto c = load("[[tie_change]]\ngroups = [\"ISK\", \"LeJ\"]\ntypes = [\"operational\"]\nend = 2015-06-01\n");
  for (const auto& t : c.ties) CHECK_FALSE((t.first == 0 && t.second == 1 && t.type == TieType::operational));
  CHECK_NOTHROW(test::config_from_text(resolved_toml(c, test::bundled_geography())));
  // pressure_remove removes every episode with the label.
  const auto p = load(
      "[[pressure]]\nactor = \"us_air\"\nlabel = \"x\"\ncountries = [\"Pakistan\"]\nstart = 2015-01-01\nlevel = 1\n"
      "[[pressure]]\nactor = \"us_air\"\nlabel = \"x\"\nprovinces = [\"Kunar\"]\nstart = 2015-01-01\nlevel = 1\n");
  std::ofstream(dir.path() / "w2.toml") << "base = \"w.toml\"\npressure_remove = [\"x\"]\n";
  const auto removed = test::config_from_file(dir.path() / "w2.toml");
  CHECK(removed.pressure.size() + 2 == p.pressure.size());
  // Two footholds of one group in the same district give cells distinct uids.
  const auto f = load(
      "[[group]]\nid = \"JuA\"\nname = \"JuA\"\nhome_country = \"Pakistan\"\nhostile_to_taliban = false\n"
      "active_from = 2015-01-01\nattack_propensity = 0\nlethality = 1\nexternal_funding = 1\n"
      "targets = { civilians = 1 }\ntactics = { ied = 1 }\n"
      "footholds = [ { district = \"PAK15-052\", cells = 2, members = 30 }, { district = \"PAK15-052\", cells = 2, "
      "members = 30 } ]\n");
  State s;
  rules::initialise(test::world_from(f), 1, 0, s);
  std::set<std::uint64_t> uids(s.cells.uid.begin(), s.cells.uid.begin() + static_cast<long>(s.cells.count));
  CHECK(uids.size() == s.cells.count);
}

TEST_CASE("scenarios: overlapping operational ties with one partner count once", "[scenarios]") {
  const auto text = read_text_file(test::small_config);
  const auto w =
      test::world_from(test::config_from_text(text + "\n[[alliance_tie]]\ngroups = [\"TTP\", \"ISK\"]\ntype = "
                                                     "\"operational\"\nquality = \"low_end\"\nstart = 2015-01-01\n"));
  State s;
  rules::initialise(w, 1, 0, s);
  rules::index_cells(w, s);
  const auto d = *test::bundled_geography().find("AFG-243");  // Nazyan: TTP cells
  const double support = rules::operational_support(w, s, 0, d, to_day_number({2015, 3, 1}));
  CHECK(support == Approx(w.config.parameters.ties_low_end_strength));
}
