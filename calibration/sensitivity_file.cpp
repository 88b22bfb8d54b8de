#include "calibration/sensitivity_file.hpp"

#include <fmt/format.h>

#include <limits>

#include "base/errors.hpp"
#include "base/rows.hpp"
#include "output/hdf5.hpp"
#include "output/netcdf_writer.hpp"

namespace iskabm {

namespace {

// The indices over (parameter, output), the overall ranking and the output weights.
void write_indices(h5::NetcdfWriter& w, hid_t root, const SensitivityStudy& s, hid_t parameter, hid_t output) {
  const auto field = [&](double SensitivityIndex::*f) {
    std::vector<double> v;
    for (const auto& x : s.indices) v.push_back(x.*f);  // factor-major = (parameter, output)
    return v;
  };
  const std::vector<hid_t> po = {parameter, output};
  w.variable(root, "mu", field(&SensitivityIndex::mu), po, "", "Morris: mean elementary effect per prior quantile");
  w.variable(root, "mu_star", field(&SensitivityIndex::mu_star), po, "",
             "Morris: mean absolute elementary effect per prior quantile");
  w.variable(root, "sigma", field(&SensitivityIndex::sigma), po, "", "Morris: standard deviation of the effects");
  w.variable(root, "first_order", field(&SensitivityIndex::first), po, "1", "Sobol': first-order index");
  w.variable(root, "first_order_low", field(&SensitivityIndex::first_low), po, "1", "2.5 % bootstrap bound");
  w.variable(root, "first_order_high", field(&SensitivityIndex::first_high), po, "1", "97.5 % bootstrap bound");
  w.variable(root, "total_order", field(&SensitivityIndex::total), po, "1", "Sobol': total index");
  w.variable(root, "total_order_low", field(&SensitivityIndex::total_low), po, "1", "2.5 % bootstrap bound");
  w.variable(root, "total_order_high", field(&SensitivityIndex::total_high), po, "1", "97.5 % bootstrap bound");
  w.variable(root, "output_sd", field(&SensitivityIndex::output_sd), po, "",
             "standard deviation of the output over the design (0: constant or undefined somewhere)");
  std::vector<double> overall;
  for (std::size_t f = 0; f < s.factors.size(); ++f) overall.push_back(s.overall(f));
  w.variable(root, "overall", overall, {parameter}, "1",
             "weighted mean over the outputs of mu*/sd (Morris) or of the total index (Sobol')");
  w.variable(root, "output_weight", s.weights, {output}, "1", "weight of the output in the overall ranking");
}

}  // namespace

void write_sensitivity_file(const std::filesystem::path& path, const SensitivityStudy& s,
                            const SensitivityFileInfo& info) {
  h5::NetcdfWriter w(path);
  {  // every handle below is closed before the commit
    const hid_t root = w.file();
    const auto& o = s.options;
    h5::set_attribute(root, "Conventions", std::string_view("CF-1.8"));
    h5::set_attribute(root, "title", std::string_view(info.title));
    h5::set_attribute(root, "history", std::string_view(info.history));
    h5::set_attribute(root, "source", std::string_view("iskabm sensitivity"));
    h5::set_attribute(root, "status", std::string_view(info.status));
    h5::set_attribute(root, "fingerprint", std::string_view(info.fingerprint));
    h5::set_attribute(root, "points_complete", static_cast<std::int64_t>(s.outputs.size()));
    h5::set_attribute(root, "method", to_string(o.method));
    h5::set_attribute(root, "trajectories", static_cast<std::int64_t>(o.trajectories));
    h5::set_attribute(root, "levels", static_cast<std::int64_t>(o.levels));
    h5::set_attribute(root, "base_samples", static_cast<std::int64_t>(o.base_samples));
    h5::set_attribute(root, "bootstrap", static_cast<std::int64_t>(o.bootstrap));
    h5::set_attribute(root, "replicates", static_cast<std::int64_t>(o.replicates));
    h5::set_attribute(root, "log_outputs", static_cast<std::int64_t>(o.log_outputs));
    h5::set_attribute(root, "seed", o.seed);
    h5::set_attribute(root, "simulations", s.simulations);
    h5::set_attribute(root, "calibration_toml", std::string_view(info.spec_toml));

    auto parameter = w.string_dimension(root, "parameter", s.factors);
    auto output = w.string_dimension(root, "output", s.statistics);
    auto point = w.index_dimension(root, "point", s.design.size());
    if (!s.indices.empty()) write_indices(w, root, s, parameter, output);
    w.variable(root, "design", flatten(s.design), {point, parameter}, "1", "design point on the unit hypercube");
    w.variable(root, "parameter_value", flatten(s.values), {point, parameter}, "", "parameter values at the point");
    auto outputs = flatten(s.outputs);
    outputs.resize(s.design.size() * s.statistics.size(), std::numeric_limits<double>::quiet_NaN());
    w.variable(root, "output_value", outputs, {point, output}, "",
               "output at the point (mean over the replicates; NaN where a checkpoint has not reached)");
  }
  w.commit();
}

SensitivityCheckpoint read_sensitivity_checkpoint(const std::filesystem::path& path) {
  const auto file = h5::open_read_only(path);
  const auto fail = [&](const std::string& what) {
    return DataError(path.string(), 0, 0, "", fmt::format("not a sensitivity file of iskabm: {}", what));
  };
  if (!h5::has_attribute(file, "source") || h5::read_string_attribute(file, "source") != "iskabm sensitivity" ||
      !h5::has_attribute(file, "fingerprint"))
    throw fail("no sensitivity attributes");
  SensitivityCheckpoint c;
  try {
    c.fingerprint = h5::read_string_attribute(file, "fingerprint");
    c.status = h5::read_string_attribute(file, "status");
    const auto done = static_cast<std::size_t>(h5::read_int_attribute(file, "points_complete"));
    auto rows = rows_of(h5::read_all<double>(file, "output_value"), h5::read_strings(file, "output").size());
    if (done > rows.size()) throw fail("points_complete exceeds the design");
    rows.resize(done);
    c.outputs = std::move(rows);
  } catch (const DataError&) {
    throw;
  } catch (const std::exception& e) {
    throw fail(e.what());
  }
  return c;
}

}  // namespace iskabm
