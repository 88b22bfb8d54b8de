#include "calibration/history_match_file.hpp"

#include <fmt/format.h>

#include <cmath>

#include "base/errors.hpp"
#include "base/rows.hpp"
#include "calibration/prior_table.hpp"
#include "output/hdf5.hpp"
#include "output/netcdf_writer.hpp"

namespace iskabm {

using h5::Handle;

std::vector<double> HistoryMatchRecord::lower() const {
  return waves.empty() ? std::vector<double>(parameter_keys.size(), 0.0) : waves.back().next_lower;
}
std::vector<double> HistoryMatchRecord::upper() const {
  return waves.empty() ? std::vector<double>(parameter_keys.size(), 1.0) : waves.back().next_upper;
}

std::vector<std::vector<double>> HistoryMatchRecord::non_implausible_values() const {
  const auto lo = lower(), hi = upper();
  std::vector<std::vector<double>> out;
  for (auto w = waves.rbegin(); w != waves.rend(); ++w)
    for (std::size_t j = 0; j < w->design.size(); ++j) {
      if (!w->non_implausible[j]) continue;
      bool inside = true;
      for (std::size_t i = 0; i < lo.size() && inside; ++i) inside = w->design[j][i] >= lo[i] && w->design[j][i] <= hi[i];
      if (inside) out.push_back(w->values[j]);
    }
  return out;
}

void write_history_match_file(const std::filesystem::path& path, const HistoryMatchRecord& r) {
  h5::NetcdfWriter w(path);
  {  // every handle below is closed before the commit
    const hid_t root = w.file();
    const auto& o = r.options;
    h5::set_attribute(root, "Conventions", std::string_view("CF-1.8"));
    h5::set_attribute(root, "title", std::string_view(r.title));
    h5::set_attribute(root, "history", std::string_view(r.history));
    h5::set_attribute(root, "source", std::string_view("iskabm history-match"));
    h5::set_attribute(root, "status", std::string_view(r.status));
    h5::set_attribute(root, "fingerprint", std::string_view(r.fingerprint));
    h5::set_attribute(root, "calibration_toml", std::string_view(r.spec_toml));
    h5::set_attribute(root, "waves", static_cast<std::int64_t>(o.waves));
    h5::set_attribute(root, "points", static_cast<std::int64_t>(o.points));
    h5::set_attribute(root, "replicates", static_cast<std::int64_t>(o.replicates));
    h5::set_attribute(root, "cutoff", o.cutoff);
    h5::set_attribute(root, "implausibility", std::string_view(implausibility_rank_name(o.rank)));
    h5::set_attribute(root, "margin", o.margin);
    h5::set_attribute(root, "seed", o.seed);
    h5::set_attribute(root, "waves_complete", static_cast<std::int64_t>(r.waves.size()));
    std::uint64_t simulations = 0;
    for (const auto& x : r.waves) simulations += x.simulations;
    h5::set_attribute(root, "simulations", simulations);

    auto parameter = w.string_dimension(root, "parameter", r.parameter_keys);
    auto statistic = w.string_dimension(root, "statistic", r.statistic_names);
    write_prior_table(w, root, parameter, r.priors);
    const auto lo = r.lower(), hi = r.upper();
    w.variable(root, "region_lower", lo, {parameter}, "1", "non-implausible region: lower prior quantile");
    w.variable(root, "region_upper", hi, {parameter}, "1", "non-implausible region: upper prior quantile");
    std::vector<double> vlo, vhi;
    for (std::size_t i = 0; i < r.priors.size(); ++i)
      vlo.push_back(lo[i] > 0 ? r.priors[i].quantile(lo[i]) : r.priors[i].lower()),
          vhi.push_back(hi[i] < 1 ? r.priors[i].quantile(hi[i]) : r.priors[i].upper());
    w.variable(root, "region_lower_value", vlo, {parameter}, "", "non-implausible region: lower parameter value");
    w.variable(root, "region_upper_value", vhi, {parameter}, "", "non-implausible region: upper parameter value");
    w.variable(root, "observed_statistics", r.terms.observed, {statistic}, "1", "the observed summary statistics");
    std::vector<double> obs_sd, md_sd;
    for (double v : r.terms.observation_variance) obs_sd.push_back(std::sqrt(v));
    for (double v : r.terms.discrepancy_variance) md_sd.push_back(std::sqrt(v));
    w.variable(root, "observation_sd", obs_sd, {statistic}, "1", "declared observation error (standard deviation)");
    w.variable(root, "discrepancy_sd", md_sd, {statistic}, "1", "declared model discrepancy (standard deviation)");
    auto wave = w.index_dimension(root, "wave", r.waves.size());
    std::vector<double> fraction, region;
    std::vector<std::int64_t> sims;
    for (const auto& x : r.waves)
      fraction.push_back(x.non_implausible_fraction), region.push_back(x.region_fraction),
          sims.push_back(static_cast<std::int64_t>(x.simulations));
    w.variable(root, "non_implausible_fraction", fraction, {wave}, "1", "share of the wave's points non-implausible");
    w.variable(root, "region_fraction", region, {wave}, "1",
               "estimated share of the prior non-implausible after the wave (box volume x fraction)");
    w.variable(root, "wave_simulations", sims, {wave}, "1", "simulations of the wave");

    auto groups = w.group(root, "waves");
    for (const auto& x : r.waves) {
      auto g = w.group(groups, fmt::format("wave_{:02d}", x.index).c_str());
      auto point = w.index_dimension(g, "point", x.design.size());
      auto par = w.string_dimension(g, "parameter", r.parameter_keys);
      auto stat = w.string_dimension(g, "statistic", r.statistic_names);
      w.variable(g, "lower", x.lower, {par}, "1", "the box the wave sampled: lower prior quantile");
      w.variable(g, "upper", x.upper, {par}, "1", "the box the wave sampled: upper prior quantile");
      w.variable(g, "next_lower", x.next_lower, {par}, "1", "the box the wave leaves: lower prior quantile");
      w.variable(g, "next_upper", x.next_upper, {par}, "1", "the box the wave leaves: upper prior quantile");
      w.variable(g, "design", flatten(x.design), {point, par}, "1", "design point (prior quantiles)");
      w.variable(g, "parameter_value", flatten(x.values), {point, par}, "", "parameter values at the point");
      w.variable(g, "mean", flatten(x.mean), {point, stat}, "1", "mean of the statistic over the replicates");
      w.variable(g, "variance", flatten(x.variance), {point, stat}, "1", "variance over the replicates");
      w.variable(g, "implausibility", flatten(x.implausibility), {point, stat}, "1", "implausibility per statistic");
      w.variable(g, "point_implausibility", x.point_implausibility, {point}, "1",
                 fmt::format("the point's implausibility ({} largest)", implausibility_rank_name(o.rank)));
      std::vector<std::int64_t> ok(x.non_implausible.begin(), x.non_implausible.end());
      w.variable(g, "non_implausible", ok, {point}, "1", "1 where the point's implausibility is at most the cutoff");
      h5::set_attribute(g, "index", static_cast<std::int64_t>(x.index));
      h5::set_attribute(g, "non_implausible_fraction", x.non_implausible_fraction);
      h5::set_attribute(g, "region_fraction", x.region_fraction);
      h5::set_attribute(g, "simulations", x.simulations);
      h5::set_attribute(g, "complete", std::int64_t{1});  // last: marks the wave whole
    }
  }
  w.commit();
}

HistoryMatchRecord read_history_match_file(const std::filesystem::path& path) {
  const auto file = h5::open_read_only(path);
  const auto fail = [&](const std::string& what) {
    return DataError(path.string(), 0, 0, "", fmt::format("not a history-match file of iskabm: {}", what));
  };
  if (!h5::has_attribute(file, "source") || h5::read_string_attribute(file, "source") != "iskabm history-match")
    throw fail("no history-match attributes");
  HistoryMatchRecord r;
  try {
    r.title = h5::read_string_attribute(file, "title");
    r.history = h5::read_string_attribute(file, "history");
    r.status = h5::read_string_attribute(file, "status");
    r.fingerprint = h5::read_string_attribute(file, "fingerprint");
    r.spec_toml = h5::read_string_attribute(file, "calibration_toml");
    auto& o = r.options;
    o.waves = static_cast<std::size_t>(h5::read_int_attribute(file, "waves"));
    o.points = static_cast<std::size_t>(h5::read_int_attribute(file, "points"));
    o.replicates = static_cast<std::size_t>(h5::read_int_attribute(file, "replicates"));
    o.cutoff = h5::read_double_attribute(file, "cutoff");
    o.margin = h5::read_double_attribute(file, "margin");
    o.seed = static_cast<std::uint64_t>(h5::read_int_attribute(file, "seed"));
    const auto measure = h5::read_string_attribute(file, "implausibility");
    auto digits = measure;
    if (digits.ends_with("th")) digits.resize(digits.size() - 2);
    o.rank = implausibility_rank_of(digits);
    if (o.rank == 0) throw fail(fmt::format("unknown implausibility measure '{}'", measure));
    r.parameter_keys = h5::read_strings(file, "parameter");
    r.statistic_names = h5::read_strings(file, "statistic");
    r.priors = read_prior_table(file);
    r.terms.observed = h5::read_all<double>(file, "observed_statistics");
    for (double sd : h5::read_all<double>(file, "observation_sd")) r.terms.observation_variance.push_back(sd * sd);
    for (double sd : h5::read_all<double>(file, "discrepancy_sd")) r.terms.discrepancy_variance.push_back(sd * sd);
    const std::size_t k = r.parameter_keys.size(), s = r.statistic_names.size();
    if (r.priors.size() != k || r.terms.observed.size() != s || r.terms.observation_variance.size() != s ||
        r.terms.discrepancy_variance.size() != s)
      throw fail("the parameter and statistic tables differ in length");
    const auto count = h5::read_int_attribute(file, "waves_complete");
    for (std::int64_t i = 0; i < count; ++i) {
      const auto name = fmt::format("waves/wave_{:02d}", i);
      if (H5Lexists(file, "waves", H5P_DEFAULT) <= 0 || H5Lexists(file, name.c_str(), H5P_DEFAULT) <= 0) break;
      auto g = h5::check(H5Gopen2(file, name.c_str(), H5P_DEFAULT), name);
      if (!h5::has_attribute(g, "complete")) break;  // written last: an incomplete wave ends the list
      HistoryMatchWave x;
      const auto read = [&](const char* v) { return h5::read_all<double>(file, (name + "/" + v).c_str()); };
      x.index = static_cast<std::size_t>(h5::read_int_attribute(g, "index"));
      x.non_implausible_fraction = h5::read_double_attribute(g, "non_implausible_fraction");
      x.region_fraction = h5::read_double_attribute(g, "region_fraction");
      x.simulations = static_cast<std::uint64_t>(h5::read_int_attribute(g, "simulations"));
      x.lower = read("lower"), x.upper = read("upper");
      x.next_lower = read("next_lower"), x.next_upper = read("next_upper");
      x.design = rows_of(read("design"), k);
      x.values = rows_of(read("parameter_value"), k);
      x.mean = rows_of(read("mean"), s);
      x.variance = rows_of(read("variance"), s);
      x.implausibility = rows_of(read("implausibility"), s);
      x.point_implausibility = read("point_implausibility");
      for (const auto v : h5::read_all<std::int64_t>(file, (name + "/non_implausible").c_str()))
        x.non_implausible.push_back(static_cast<std::uint8_t>(v));
      const auto n = x.design.size();
      if (x.index != static_cast<std::size_t>(i) || x.lower.size() != k || x.upper.size() != k ||
          x.next_lower.size() != k || x.next_upper.size() != k || x.values.size() != n || x.mean.size() != n ||
          x.variance.size() != n || x.implausibility.size() != n || x.point_implausibility.size() != n ||
          x.non_implausible.size() != n)
        throw fail(fmt::format("wave {} has inconsistent sizes", i));
      r.waves.push_back(std::move(x));
    }
  } catch (const DataError&) {
    throw;
  } catch (const std::exception& e) {
    throw fail(e.what());
  }
  return r;
}

}  // namespace iskabm
