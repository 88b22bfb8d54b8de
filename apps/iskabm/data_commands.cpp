// `iskabm data check`: load and validate the bundled data, print what it holds.
#include <fmt/format.h>

#include <map>

#include "apps/iskabm/commands.hpp"
#include "io/observed_data.hpp"

namespace iskabm::app {

namespace {

void print_summary(const ObservedData& d) {
  const auto& g = d.geography;
  const auto n_afg = g.country_districts[0].size(), n_pak = g.country_districts[1].size();
  std::size_t provinces[country_count] = {0, 0};
  for (auto c : g.province_country) ++provinces[static_cast<std::size_t>(c)];
  std::size_t border = 0, with_population = 0;
  for (DistrictIndex i = 0; i < g.size(); ++i) {
    border += g.is_border_district(i);
    with_population += g.has_population(i);
  }
  fmt::print("data directory  {}\n", d.directory.string());
  fmt::print("districts       {} units: Afghanistan {} (in {} provinces), Pakistan {} (in {} provinces)\n", g.size(),
             n_afg, provinces[0], n_pak, provinces[1]);
  fmt::print("adjacency       {} pairs, {} cross-border; {} border districts\n", g.pair_count,
             g.cross_border_pair_count, border);
  fmt::print("population      known for {} of {} units (Pakistan, 2017 census via OCHA crosswalk)\n", with_population,
             g.size());
  fmt::print("polygons        {} features, {} rings, one per district\n", d.polygons.features, d.polygons.rings);

  const auto& ev = d.events.events;
  std::map<int, std::size_t> per_year[country_count];
  std::size_t total[country_count] = {0, 0}, joint = 0, geocoded = 0, named = 0;
  long fatalities = 0;
  for (const auto& e : ev) {
    ++per_year[static_cast<std::size_t>(e.country)][e.date.year];
    ++total[static_cast<std::size_t>(e.country)];
    joint += e.joint_claim();
    geocoded += e.district.has_value();
    named += e.attribution == Attribution::named_or_claimed;
    fatalities += e.fatalities;
  }
  fmt::print(
      "incidents       {} ISK incidents {}..{} ({} named or claimed, {} jointly claimed, {} geocoded to a "
      "district, {} killed)\n",
      ev.size(), observed_window_first.year, observed_window_last.year, named, joint, geocoded, fatalities);
  fmt::print("                {:<12}", "");
  for (int y = observed_window_first.year; y <= observed_window_last.year; ++y) fmt::print("{:>6}", y);
  fmt::print("{:>8}\n", "total");
  for (std::size_t c = 0; c < country_count; ++c) {
    fmt::print("                {:<12}", country_name(static_cast<Country>(c)));
    for (int y = observed_window_first.year; y <= observed_window_last.year; ++y)
      fmt::print("{:>6}", per_year[c].contains(y) ? per_year[c].at(y) : 0);
    fmt::print("{:>8}\n", total[c]);
  }
  fmt::print("aggregates      {} country-months, {} country-years, {} district-months: all agree with the incidents\n",
             d.aggregates.country_month.size(), d.aggregates.country_year.size(), d.aggregates.district_month.size());
  fmt::print("figures         {} published figures ({}..{})\n", d.figures.figures.size(),
             d.figures.figures.empty() ? "" : d.figures.figures.front().id,
             d.figures.figures.empty() ? "" : d.figures.figures.back().id);
  fmt::print("data check: OK\n");
}

}  // namespace

void register_data_commands(CLI::App& app, const GlobalOptions& global, Action& action) {
  auto* data = app.add_subcommand("data", "Inspect the bundled observed data");
  data->require_subcommand(1);
  auto* check = data->add_subcommand("check", "Load and validate every data file and print a summary");
  check->callback([&global, &action] {
    action = [&global] {
      print_summary(load_observed_data(resolve_data_dir(global)));
      return 0;
    };
  });
}

}  // namespace iskabm::app
