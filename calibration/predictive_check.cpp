#include "calibration/predictive_check.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "base/errors.hpp"
#include "base/quantile.hpp"
#include "output/forecast_ensemble.hpp"
#include "output/hdf5.hpp"
#include "output/run_file.hpp"
#include "statistics/summary_statistics.hpp"

namespace iskabm {

namespace {

PredictiveRow row_of(std::string name, double observed, std::vector<double> sims) {
  PredictiveRow r;
  r.name = std::move(name);
  r.observed = observed;
  sims.erase(std::remove_if(sims.begin(), sims.end(), [](double x) { return !std::isfinite(x); }), sims.end());
  r.replicates = sims.size();
  r.median = quantile(sims, 0.5);
  r.q05 = quantile(sims, 0.05);
  r.q95 = quantile(sims, 0.95);
  double below = 0;
  for (double x : sims) below += x < observed ? 1.0 : x == observed ? 0.5 : 0.0;
  r.rank = sims.empty() ? std::nan("") : below / static_cast<double>(sims.size());
  return r;
}

}  // namespace

PredictiveCheck predictive_check(const std::filesystem::path& path, const ObservedData& data, std::size_t top) {
  PredictiveCheck c;
  c.source = path.string();
  const auto ensemble = read_forecast_ensemble(path);  // checks that it is a result file
  {
    h5::silence_error_printing();
    RunFileReader(path).require_complete();  // never a partial result
    const auto file = h5::open_read_only(path);
    if (H5Lexists(file, "observed_statistics", H5P_DEFAULT) <= 0)
      throw DataError(c.source, 0, 0, "observed_statistics",
                      "the file does not store the observed statistics (written by an older iskabm): run it again");
    c.title = h5::read_string_attribute(file, "title");
    const auto names = h5::read_strings(file, "statistic");
    const auto meanings = H5Lexists(file, "statistic_meaning", H5P_DEFAULT) > 0
                              ? h5::read_strings(file, "statistic_meaning")
                              : names;  // files written before the labels were stored
    const auto observed = h5::read_all<double>(file, "observed_statistics");
    const auto sims = h5::read_all<double>(file, "summary_statistics");
    const std::size_t S = names.size();
    c.replicates = ensemble.replicates;
    if (meanings.size() != S || observed.size() != S || sims.size() != c.replicates * S)
      throw IoError(fmt::format("{}: statistic_meaning, observed_statistics and summary_statistics do not match the "
                                "{} statistics and {} replicates the file declares",
                                c.source, S, c.replicates));
    for (std::size_t j = 0; j < S; ++j) {
      if (!std::isfinite(observed[j])) continue;
      std::vector<double> col;
      for (std::size_t r = 0; r < c.replicates; ++r) col.push_back(sims[r * S + j]);
      c.statistics.push_back(row_of(names[j], observed[j], std::move(col)));
      c.statistics.back().label = meanings[j];
    }
  }
  const auto& first = ensemble.file_months.front();
  const auto& last = ensemble.file_months.back();
  c.window = fmt::format("{:04d}-{:02d}..{:04d}-{:02d}", first.year, first.month, last.year, last.month);

  // Observed attacks per district in the window (events geocoded to a district).
  const auto& geo = data.geography;
  const auto in_window = [&](const CivilDate& d) {
    const int m = d.year * 12 + d.month, a = first.year * 12 + first.month, b = last.year * 12 + last.month;
    return m >= a && m <= b;
  };
  std::vector<double> observed(ensemble.districts(), 0.0);
  std::vector<std::size_t> file_index(geo.size(), SIZE_MAX);
  for (std::size_t d = 0; d < ensemble.districts(); ++d) {
    const auto it = std::find(geo.district_id.begin(), geo.district_id.end(), ensemble.district_id[d]);
    if (it != geo.district_id.end()) file_index[static_cast<std::size_t>(it - geo.district_id.begin())] = d;
  }
  for (const auto& e : data.events.events)
    if (e.district && in_window(e.date) && file_index[*e.district] != SIZE_MAX) observed[file_index[*e.district]] += 1;
  std::vector<std::size_t> order(observed.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return observed[a] > observed[b]; });
  for (std::size_t k = 0; k < std::min(top, order.size()) && observed[order[k]] > 0; ++k) {
    const auto d = order[k];
    std::vector<double> sims(ensemble.replicates, 0.0);
    for (std::size_t r = 0; r < ensemble.replicates; ++r)
      for (std::size_t m = 0; m < ensemble.months; ++m) sims[r] += ensemble.at(r, m, d);
    auto row = row_of(ensemble.district_id[d], observed[d], std::move(sims));
    const auto it = std::find(geo.district_id.begin(), geo.district_id.end(), ensemble.district_id[d]);
    if (it != geo.district_id.end()) {
      const auto g = static_cast<std::size_t>(it - geo.district_id.begin());
      row.label = fmt::format("{}, {}", geo.district_name[g], geo.province_name[geo.province[g]]);
    }
    c.districts.push_back(std::move(row));
  }
  return c;
}

}  // namespace iskabm
