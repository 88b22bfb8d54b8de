// `iskabm data check`: load and validate the bundled data, print what it holds.
#include <fmt/format.h>

#include <cmath>
#include <map>
#include <set>
#include <string>

#include "apps/iskabm/commands.hpp"
#include "io/csv_table.hpp"
#include "io/observed_data.hpp"

namespace iskabm::app {

namespace {

// The short source labels (the text before " (") of a covariate column, per country, as
// data/covariates/district_covariates.csv states them; load_geography has validated the file.
std::set<std::string> source_labels(const ObservedData& d, std::string_view column, Country country) {
  const auto t =
      CsvTable::read(d.directory / "covariates" / "district_covariates.csv",
                     {"district_id", "population", "population_year", "population_source", "urban_share",
                      "urban_source", "nearest_city", "distance_to_city_km", "shia_presence", "shia_source"});
  const auto c_id = t.column("district_id"), c_src = t.column(column);
  std::set<std::string> out;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const auto idx = d.geography.find(t.text(r, c_id));
    const auto src = t.text(r, c_src);
    if (idx && d.geography.country[*idx] == country && !src.empty()) out.emplace(src.substr(0, src.find(" (")));
  }
  return out;
}

std::string joined(const std::set<std::string>& labels) {
  if (labels.empty()) return "no source";
  std::string s;
  for (const auto& l : labels) s += (s.empty() ? "" : "; ") + l;
  return s;
}

// One line per covariate: how many units of each country have a value, and from which source.
void print_covariates(const ObservedData& d) {
  const auto& g = d.geography;
  struct Count {
    std::size_t units = 0, population = 0, urban = 0, distance = 0, shia = 0, shia_above_zero = 0;
  } n[country_count];
  for (DistrictIndex i = 0; i < g.size(); ++i) {
    auto& c = n[static_cast<std::size_t>(g.country[i])];
    ++c.units;
    c.population += g.has_population(i);
    c.urban += !std::isnan(g.urban_share[i]);
    c.distance += !std::isnan(g.distance_to_city_km[i]);
    c.shia += !std::isnan(g.shia_presence[i]);
    c.shia_above_zero += g.shia_presence[i] > 0;
  }
  const auto& afg = n[0];
  const auto& pak = n[1];
  fmt::print("population      Afghanistan {}/{} ({}), Pakistan {}/{} ({})\n", afg.population, afg.units,
             joined(source_labels(d, "population_source", Country::afghanistan)), pak.population, pak.units,
             joined(source_labels(d, "population_source", Country::pakistan)));
  fmt::print("urban share     Afghanistan {}/{} ({}), Pakistan {}/{} ({})\n", afg.urban, afg.units,
             joined(source_labels(d, "urban_source", Country::afghanistan)), pak.urban, pak.units,
             joined(source_labels(d, "urban_source", Country::pakistan)));
  fmt::print(
      "city distance   Afghanistan {}/{}, Pakistan {}/{} (great-circle km from the centroid to the nearest of {} "
      "major cities)\n",
      afg.distance, afg.units, pak.distance, pak.units, g.city_name.size());
  fmt::print(
      "Shia presence   Afghanistan {}/{} ({} above 0), Pakistan {}/{} ({} above 0): coarse levels, each an "
      "assumption with its basis\n",
      afg.shia, afg.units, afg.shia_above_zero, pak.shia, pak.units, pak.shia_above_zero);
  std::string cities;
  std::size_t per_country[country_count] = {0, 0};
  for (std::size_t k = 0; k < g.city_name.size(); ++k) {
    cities += fmt::format("{}{} ({})", k ? ", " : "", g.city_name[k], g.district_id[g.city_district[k]]);
    ++per_country[static_cast<std::size_t>(g.country[g.city_district[k]])];
  }
  fmt::print("major cities    {} (Afghanistan {}, Pakistan {}): {}\n", g.city_name.size(), per_country[0],
             per_country[1], cities);
}

void print_summary(const ObservedData& d) {
  const auto& g = d.geography;
  const auto n_afg = g.country_districts[0].size(), n_pak = g.country_districts[1].size();
  std::size_t provinces[country_count] = {0, 0};
  for (auto c : g.province_country) ++provinces[static_cast<std::size_t>(c)];
  std::size_t border = 0;
  for (DistrictIndex i = 0; i < g.size(); ++i) border += g.is_border_district(i);
  fmt::print("data directory  {}\n", d.directory.string());
  fmt::print("districts       {} units: Afghanistan {} (in {} provinces), Pakistan {} (in {} provinces)\n", g.size(),
             n_afg, provinces[0], n_pak, provinces[1]);
  fmt::print("adjacency       {} pairs, {} cross-border; {} border districts\n", g.pair_count,
             g.cross_border_pair_count, border);
  print_covariates(d);
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
