#include "output/run_compare.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "base/csv_writer.hpp"
#include "base/errors.hpp"
#include "base/quantile.hpp"
#include "model/calendar.hpp"
#include "output/hdf5.hpp"
#include "output/run_file.hpp"
#include "output/schema.hpp"
#include "statistics/monte_carlo_error.hpp"
#include "statistics/summary_statistics.hpp"

namespace iskabm {

namespace {

struct RunData {
  std::string title;
  std::uint64_t seed = 0;
  std::vector<std::int64_t> replicates;
  std::vector<double> time;
  std::vector<std::string> districts, provinces, groups;
  std::vector<std::int8_t> country;
  std::size_t R = 0, M = 0, D = 0, G = 0;
  std::map<std::string, std::vector<std::int32_t>> district_vars;  // (R, M, D)
  std::vector<std::int64_t> members;                               // (R, M, G, 2)
};

RunData load(const std::filesystem::path& path) {
  h5::silence_error_printing();
  RunData d;
  RunFileReader(path).require_complete();  // a regular, complete result file (never a partial one)
  auto file = h5::open_read_only(path);
  d.title = h5::read_string_attribute(file, "title");
  d.seed = static_cast<std::uint64_t>(h5::read_int_attribute(file, "seed"));
  d.replicates = h5::read_all<std::int64_t>(file, "replicate");
  d.time = h5::read_all<double>(file, "time");
  d.districts = h5::read_strings(file, "district");
  d.provinces = h5::read_strings(file, "province");
  d.groups = h5::read_strings(file, "group");
  d.country = h5::read_all<std::int8_t>(file, "district_country");
  d.R = d.replicates.size();
  d.M = d.time.size();
  d.D = d.districts.size();
  d.G = d.groups.size();
  // Every array against the dimensions the coordinates declare: a crafted or foreign file is an
  // IoError naming the variable, never a read out of bounds.
  const auto require = [&](const char* name, std::size_t got, std::size_t want) {
    if (got != want)
      throw IoError(fmt::format("{}: {} holds {} values where the file's dimensions declare {}", path.string(), name,
                                got, want));
  };
  require("province", d.provinces.size(), d.D);
  require("district_country", d.country.size(), d.D);
  for (const auto c : d.country)
    if (c < 0 || c > 1) throw IoError(fmt::format("{}: district_country holds {} (0 or 1 expected)", path.string(), c));
  // The compared variables of the schema, breakdowns summed over their last dimension.
  for (const auto& v : output_schema()) {
    if (!v.compared || H5Lexists(file, v.name.c_str(), H5P_DEFAULT) <= 0) continue;
    auto values = h5::read_all<std::int32_t>(file, v.name.c_str());  // (R, M, D[, inner])
    const std::size_t inner = d.R * d.M * d.D > 0 ? values.size() / (d.R * d.M * d.D) : 1;
    require(v.name.c_str(), values.size(), d.R * d.M * d.D * std::max<std::size_t>(inner, 1));
    auto& out = d.district_vars[v.name];
    if (inner == 1) {
      out = std::move(values);
      continue;
    }
    out.assign(d.R * d.M * d.D, 0);
    for (std::size_t i = 0; i < out.size(); ++i)
      for (std::size_t g = 0; g < inner; ++g) out[i] += values[i * inner + g];
  }
  d.members = h5::read_all<std::int64_t>(file, "group_members");
  require("group_members", d.members.size(), d.R * d.M * d.G * 2);
  return d;
}

}  // namespace

Comparison compare_runs(const std::filesystem::path& base_path, const std::filesystem::path& whatif_path,
                        ComparisonRows which) {
  const auto base = load(base_path), whatif = load(whatif_path);
  if (base.replicates != whatif.replicates)
    throw UsageError(
        fmt::format("{} and {} hold different replicates ({} and {}): a paired comparison needs the "
                    "same replicate numbers (run both with the same --replicates and --first-replicate)",
                    base_path.string(), whatif_path.string(), base.R, whatif.R));
  if (base.districts != whatif.districts) throw UsageError("the two files use different district maps");
  if (base.groups.empty() || whatif.groups.empty() || base.groups[0] != whatif.groups[0])
    throw UsageError("the two files have different focal (first) groups");
  // Common months.
  std::vector<std::pair<std::size_t, std::size_t>> months;  // (index in base, index in whatif)
  for (std::size_t i = 0; i < base.M; ++i) {
    const auto it = std::find(whatif.time.begin(), whatif.time.end(), base.time[i]);
    if (it != whatif.time.end()) months.emplace_back(i, static_cast<std::size_t>(it - whatif.time.begin()));
  }
  if (months.empty()) throw UsageError("the two files share no month");
  std::vector<int> year(months.size());
  for (std::size_t k = 0; k < months.size(); ++k)
    year[k] = to_civil(static_cast<DayNumber>(base.time[months[k].first])).year;
  const int first_year = year.front(), last_year = year.back();

  // Scopes: all, the two countries, every province.
  std::vector<std::string> scopes{"all", "Afghanistan", "Pakistan"};
  std::vector<std::string> province_names;
  for (const auto& p : base.provinces)
    if (std::find(province_names.begin(), province_names.end(), p) == province_names.end()) province_names.push_back(p);
  scopes.insert(scopes.end(), province_names.begin(), province_names.end());
  const auto scope_of_district = [&](std::size_t d, std::size_t s) {
    if (s == 0) return true;
    if (s <= 2) return static_cast<std::size_t>(base.country[d]) == s - 1;
    return base.provinces[d] == scopes[s];
  };
  std::vector<std::vector<std::size_t>> scope_districts(scopes.size());
  for (std::size_t s = 0; s < scopes.size(); ++s)
    for (std::size_t d = 0; d < base.D; ++d)
      if (scope_of_district(d, s)) scope_districts[s].push_back(d);

  const int periods = last_year - first_year + 2;  // whole window, then each year
  const auto period_name = [&](int p) {
    return p == 0 ? (first_year == last_year ? std::to_string(first_year) : fmt::format("{}-{}", first_year, last_year))
                  : std::to_string(first_year + p - 1);
  };
  Comparison out;
  out.base_seed = base.seed;
  out.whatif_seed = whatif.seed;
  out.replicates = base.R;
  out.base_title = base.title;
  out.whatif_title = whatif.title;

  const ReplicateBootstrap bootstrap(base.R);
  const bool headline = which == ComparisonRows::headline;
  const auto add_rows = [&](const std::string& metric, const auto& value_of) {
    for (std::size_t s = 0; s < (headline ? std::size_t{3} : scopes.size()); ++s)
      for (int p = 0; p < (headline ? 1 : periods); ++p) {
        std::vector<double> b(base.R), w(base.R), diff(base.R);
        bool defined = true;
        for (std::size_t r = 0; r < base.R; ++r) {
          const auto vb = value_of(base, r, s, p, true), vw = value_of(whatif, r, s, p, false);
          if (std::isnan(vb) || std::isnan(vw)) defined = false;
          b[r] = vb, w[r] = vw, diff[r] = vw - vb;
        }
        if (!defined) continue;
        out.rows.push_back({metric, scopes[s], period_name(p), quantile(b, 0.5), quantile(w, 0.5), quantile(diff, 0.5),
                            quantile(diff, 0.05), quantile(diff, 0.25), quantile(diff, 0.75), quantile(diff, 0.95),
                            base.R, bootstrap.median_error(b), bootstrap.median_error(w),
                            bootstrap.median_error(diff)});
      }
  };
  const auto in_period = [&](std::size_t k, int p) { return p == 0 || year[k] == first_year + p - 1; };
  for (const auto& variable : output_schema()) {
    const auto& metric = variable.name;
    if (!base.district_vars.contains(metric) || !whatif.district_vars.contains(metric)) continue;
    add_rows(metric, [&](const RunData& run, std::size_t r, std::size_t s, int p, bool is_base) {
      const auto& v = run.district_vars.at(metric);
      double sum = 0;
      for (std::size_t k = 0; k < months.size(); ++k) {
        if (!in_period(k, p)) continue;
        const auto m = is_base ? months[k].first : months[k].second;
        for (auto d : scope_districts[s]) sum += v[(r * run.M + m) * run.D + d];
      }
      return sum;
    });
  }
  // The focal group's members at the end of the period (countries and all only).
  add_rows(base.groups[0] + "_members", [&](const RunData& run, std::size_t r, std::size_t s, int p, bool is_base) {
    if (s > 2) return std::numeric_limits<double>::quiet_NaN();
    std::size_t last = SIZE_MAX;
    for (std::size_t k = 0; k < months.size(); ++k)
      if (in_period(k, p)) last = k;
    const auto m = is_base ? months[last].first : months[last].second;
    double sum = 0;
    for (std::size_t c = 0; c < 2; ++c)
      if (s == 0 || s - 1 == c) sum += static_cast<double>(run.members[((r * run.M + m) * run.G + 0) * 2 + c]);
    return sum;
  });
  return out;
}

bool is_headline_metric(std::string_view metric) noexcept {
  return metric == "attacks" || metric == "attacks_observed" || metric == "fatalities" || metric.ends_with("_members");
}

std::vector<std::string> headline_metrics(const Comparison& c) {
  std::vector<std::string> out;
  for (const auto& r : c.rows)
    if (is_headline_metric(r.metric) && std::find(out.begin(), out.end(), r.metric) == out.end())
      out.push_back(r.metric);
  return out;
}

std::vector<PrecisionShortfall> precision_shortfalls(const Comparison& c, double percent,
                                                     const std::vector<std::string>& metrics) {
  const auto wanted = metrics.empty() ? headline_metrics(c) : metrics;
  std::vector<PrecisionShortfall> out;
  if (c.rows.empty()) return out;
  const auto& window = c.rows.front().period;
  for (const auto& r : c.rows) {
    if (r.period != window || (r.scope != "all" && r.scope != "Afghanistan" && r.scope != "Pakistan")) continue;
    if (std::find(wanted.begin(), wanted.end(), r.metric) == wanted.end()) continue;
    const double target = precision_target(percent, r.base_median);
    if (std::isnan(r.diff_error) || r.diff_error > target)
      out.push_back({&r, target, replicates_for_precision(r.replicates, r.diff_error, target)});
  }
  return out;
}

std::string comparison_csv(const Comparison& c) {
  CsvWriter csv({"metric", "scope", "period", "replicates", "baseline_median", "whatif_median", "difference_median",
                 "difference_q05", "difference_q25", "difference_q75", "difference_q95", "baseline_median_mcse",
                 "whatif_median_mcse", "difference_median_mcse", "effect"});
  for (const auto& r : c.rows)
    csv.row(r.metric, r.scope, r.period, r.replicates, r.base_median, r.whatif_median, r.diff_median, r.diff_q05,
            r.diff_q25, r.diff_q75, r.diff_q95, r.base_error, r.whatif_error, r.diff_error,
            r.effect_detected() ? "detected" : "none detected");
  return csv.text();
}

}  // namespace iskabm
