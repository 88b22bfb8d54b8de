#include "calibration/posterior_file.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <charconv>
#include <cmath>
#include <functional>
#include <sstream>

#include "base/errors.hpp"
#include "base/hash.hpp"
#include "base/rows.hpp"
#include "base/text_file.hpp"
#include "calibration/prior_table.hpp"
#include "output/hdf5.hpp"
#include "output/netcdf_writer.hpp"

namespace iskabm {

using h5::Handle;

std::vector<ParameterSummary> CalibrationRecord::summary() const {
  if (generations.empty()) return {};
  return summarise_population(generations.back(), parameter_keys, parameter_units, priors);
}

void write_posterior_file(const std::filesystem::path& path, const CalibrationRecord& r) {
  h5::NetcdfWriter w(path);
  {  // every handle below is closed before the commit
    const hid_t root = w.file();
    h5::set_attribute(root, "Conventions", std::string_view("CF-1.8"));
    h5::set_attribute(root, "title", std::string_view(r.title));
    h5::set_attribute(root, "history", std::string_view(r.history));
    h5::set_attribute(root, "source", std::string_view("iskabm calibrate (ABC-SMC)"));
    h5::set_attribute(root, "status", std::string_view(r.status));
    h5::set_attribute(root, "stop_reason", std::string_view(r.stop_reason));
    h5::set_attribute(root, "seed", r.seed);
    h5::set_attribute(root, "generations_complete", static_cast<std::int64_t>(r.generations.size()));
    h5::set_attribute(root, "simulations_total",
                      r.generations.empty() ? std::uint64_t{0} : r.generations.back().simulations_total);
    h5::set_attribute(root, "calibration_toml", std::string_view(r.spec_toml));
    h5::set_attribute(root, "scenario_toml", std::string_view(r.scenario_toml));
    h5::set_attribute(root, "fingerprint", std::string_view(r.fingerprint));

    auto parameter = w.string_dimension(root, "parameter", r.parameter_keys);
    auto statistic = w.string_dimension(root, "statistic", r.statistic_names);
    w.string_variable(root, "parameter_unit", r.parameter_units, parameter, "unit of the parameter");
    write_prior_table(w, root, parameter, r.priors);
    w.variable(root, "observed_statistics", r.observed, {statistic}, "1", "the observed summary statistics (targets)");
    w.variable(root, "statistic_weight", r.statistic_weights, {statistic}, "1", "weight in the distance");

    // Per-generation history.
    const std::size_t G = r.generations.size();
    auto generation = w.index_dimension(root, "generation", G);
    std::vector<double> tol, acc, ess;
    std::vector<std::int64_t> sims, sims_total;
    for (const auto& g : r.generations) {
      tol.push_back(g.tolerance), acc.push_back(g.acceptance_rate), ess.push_back(g.ess);
      sims.push_back(static_cast<std::int64_t>(g.simulations));
      sims_total.push_back(static_cast<std::int64_t>(g.simulations_total));
    }
    w.variable(root, "tolerance", tol, {generation}, "1", "tolerance (largest accepted distance) of the generation");
    w.variable(root, "acceptance_rate", acc, {generation}, "1", "accepted / simulated proposals");
    w.variable(root, "effective_sample_size", ess, {generation}, "1", "1 / sum of squared normalised weights");
    w.variable(root, "simulations", sims, {generation}, "1", "simulations the generation needed");
    w.variable(root, "simulations_total", sims_total, {generation}, "1", "cumulative simulations");

    // The posterior: the last generation, and its summaries.
    if (G > 0) {
      const auto& last = r.generations.back();
      auto particle = w.index_dimension(root, "particle", last.theta.size());
      w.variable(root, "theta", flatten(last.theta), {particle, parameter}, "",
                 "posterior particles (parameter values)");
      w.variable(root, "weight", last.weight, {particle}, "1", "normalised importance weight");
      w.variable(root, "distance", last.distance, {particle}, "1", "distance to the observed statistics");
      w.variable(root, "statistics", flatten(last.statistics), {particle, statistic}, "1",
                 "simulated summary statistics of the particle");
      const auto sum = r.summary();
      std::vector<double> cols[8];
      for (const auto& p : sum) {
        cols[0].push_back(p.mean), cols[1].push_back(p.sd), cols[2].push_back(p.median), cols[3].push_back(p.q05);
        cols[4].push_back(p.q95), cols[5].push_back(p.prior_q05), cols[6].push_back(p.prior_q95);
        cols[7].push_back(p.identifiability());
      }
      w.variable(root, "posterior_mean", cols[0], {parameter}, "", "weighted posterior mean");
      w.variable(root, "posterior_sd", cols[1], {parameter}, "", "weighted posterior standard deviation");
      w.variable(root, "posterior_median", cols[2], {parameter}, "", "weighted posterior median");
      w.variable(root, "posterior_q05", cols[3], {parameter}, "", "posterior 5 % quantile");
      w.variable(root, "posterior_q95", cols[4], {parameter}, "", "posterior 95 % quantile");
      w.variable(root, "prior_q05", cols[5], {parameter}, "", "prior 5 % quantile");
      w.variable(root, "prior_q95", cols[6], {parameter}, "", "prior 95 % quantile");
      w.variable(root, "identifiability", cols[7], {parameter}, "1",
                 "posterior / prior 90 % interval width (near 1: not identified by the data)");
    }

    // Every generation in full (the checkpoint): /generations/gen_NNN.
    auto groups = w.group(root, "generations");
    for (const auto& g : r.generations) {
      auto gg = w.group(groups, fmt::format("gen_{:03d}", g.index).c_str());
      auto particle = w.index_dimension(gg, "particle", g.theta.size());
      auto par = w.string_dimension(gg, "parameter", r.parameter_keys);
      auto stat = w.string_dimension(gg, "statistic", r.statistic_names);
      w.variable(gg, "theta", flatten(g.theta), {particle, par}, "", "accepted parameter values");
      w.variable(gg, "weight", g.weight, {particle}, "1", "normalised importance weight");
      w.variable(gg, "distance", g.distance, {particle}, "1", "distance under this generation's scales");
      w.variable(gg, "statistics", flatten(g.statistics), {particle, stat}, "1", "simulated summary statistics");
      w.variable(gg, "scales", g.scales, {stat}, "1",
                 "statistic scales of the distance (MAD of the previous generation)");
      h5::set_attribute(gg, "index", static_cast<std::int64_t>(g.index));
      h5::set_attribute(gg, "tolerance", g.tolerance);
      h5::set_attribute(gg, "acceptance_rate", g.acceptance_rate);
      h5::set_attribute(gg, "effective_sample_size", g.ess);
      if (g.median_jump > 0) h5::set_attribute(gg, "median_jump", g.median_jump);  // the mcmc sampler's copies
      h5::set_attribute(gg, "simulations", static_cast<std::uint64_t>(g.simulations));
      h5::set_attribute(gg, "simulations_total", static_cast<std::uint64_t>(g.simulations_total));
      h5::set_attribute(gg, "complete", std::int64_t{1});  // last: marks the generation whole
    }
  }
  w.commit();
}

CalibrationRecord read_posterior_file(const std::filesystem::path& path) {
  const auto file = h5::open_read_only(path);
  const auto fail = [&](const std::string& what) {
    return DataError(path.string(), 0, 0, "", fmt::format("not a posterior file of iskabm calibrate: {}", what));
  };
  if (!h5::has_attribute(file, "fingerprint") || !h5::has_attribute(file, "calibration_toml"))
    throw fail("no calibration attributes");
  CalibrationRecord r;
  try {
    r.title = h5::read_string_attribute(file, "title");
    r.history = h5::read_string_attribute(file, "history");
    r.status = h5::read_string_attribute(file, "status");
    r.stop_reason = h5::read_string_attribute(file, "stop_reason");
    r.spec_toml = h5::read_string_attribute(file, "calibration_toml");
    r.scenario_toml = h5::read_string_attribute(file, "scenario_toml");
    r.fingerprint = h5::read_string_attribute(file, "fingerprint");
    r.seed = static_cast<std::uint64_t>(h5::read_int_attribute(file, "seed"));
    r.parameter_keys = h5::read_strings(file, "parameter");
    r.parameter_units = h5::read_strings(file, "parameter_unit");
    r.statistic_names = h5::read_strings(file, "statistic");
    r.priors = read_prior_table(file);
    r.observed = h5::read_all<double>(file, "observed_statistics");
    r.statistic_weights = h5::read_all<double>(file, "statistic_weight");
    const std::size_t k = r.parameter_keys.size(), s = r.statistic_names.size();
    const auto count = h5::read_int_attribute(file, "generations_complete");
    for (std::int64_t i = 0; i < count; ++i) {
      const auto name = fmt::format("generations/gen_{:03d}", i);
      if (H5Lexists(file, name.c_str(), H5P_DEFAULT) <= 0) break;
      auto gg = h5::check(H5Gopen2(file, name.c_str(), H5P_DEFAULT), name);
      if (!h5::has_attribute(gg, "complete")) break;  // written last: an incomplete generation ends the list
      Generation g;
      g.index = static_cast<std::size_t>(h5::read_int_attribute(gg, "index"));
      g.tolerance = h5::read_double_attribute(gg, "tolerance");
      g.acceptance_rate = h5::read_double_attribute(gg, "acceptance_rate");
      g.ess = h5::read_double_attribute(gg, "effective_sample_size");
      if (h5::has_attribute(gg, "median_jump")) g.median_jump = h5::read_double_attribute(gg, "median_jump");
      g.simulations = static_cast<std::uint64_t>(h5::read_int_attribute(gg, "simulations"));
      g.simulations_total = static_cast<std::uint64_t>(h5::read_int_attribute(gg, "simulations_total"));
      g.theta = rows_of(h5::read_all<double>(file, (name + "/theta").c_str()), k);
      g.weight = h5::read_all<double>(file, (name + "/weight").c_str());
      g.distance = h5::read_all<double>(file, (name + "/distance").c_str());
      g.statistics = rows_of(h5::read_all<double>(file, (name + "/statistics").c_str()), s);
      g.scales = h5::read_all<double>(file, (name + "/scales").c_str());
      if (g.theta.size() != g.weight.size() || g.statistics.size() != g.weight.size() ||
          g.distance.size() != g.weight.size() || g.scales.size() != s)
        throw fail(fmt::format("generation {} has inconsistent sizes", i));
      r.generations.push_back(std::move(g));
    }
    if (r.parameter_units.size() != k || r.priors.size() != k || r.observed.size() != s ||
        r.statistic_weights.size() != s)
      throw fail("the parameter and statistic tables differ in length");
    for (const auto& g : r.generations)
      for (const auto& t : g.theta)
        if (t.size() != k) throw fail("a generation's particles have the wrong number of parameters");
  } catch (const DataError&) {
    throw;
  } catch (const std::exception& e) {
    throw fail(e.what());
  }
  return r;
}

}  // namespace iskabm

namespace iskabm {

std::string fingerprint_hash(const std::string& fingerprint) { return fmt::format("{:016x}", fnv1a(fingerprint)); }

void write_posterior_particles(const std::filesystem::path& path, const CalibrationRecord& r) {
  if (r.generations.empty()) throw Error("no complete generation to write");
  const auto& g = r.generations.back();
  std::string out =
      fmt::format("# iskabm posterior particles: {}\n# history: {}\n# status: {} ({})\n# fingerprint: {}\n", r.title,
                  r.history, r.status, r.stop_reason, fingerprint_hash(r.fingerprint));
  out += fmt::format("weight,{}\n", fmt::join(r.parameter_keys, ","));
  for (std::size_t i = 0; i < g.theta.size(); ++i)
    out += fmt::format("{},{}\n", g.weight[i], fmt::join(g.theta[i], ","));
  write_text_file(path, out);
}

namespace {
std::vector<std::string> split_commas(const std::string& line) {
  std::vector<std::string> out(1);
  for (char c : line) {
    if (c == ',')
      out.emplace_back();
    else
      out.back().push_back(c);
  }
  return out;
}

// Checks a draw as `[parameters]` is checked: every value within its parameter's range, every
// weight finite and non-negative, the weights' sum positive. `row_line(i)`: the line of particle i
// (0 for an HDF5 posterior).
void check_draw(const std::filesystem::path& path, const PosteriorDraw& d,
                const std::function<std::size_t(std::size_t)>& row_line) {
  double sum = 0;
  for (std::size_t i = 0; i < d.theta.size(); ++i) {
    const auto w = d.weight[i];
    if (!std::isfinite(w) || w < 0)
      throw DataError(path.string(), row_line(i), 1, "weight",
                      fmt::format("particle {}: weight {} is not a finite non-negative number", i, w));
    sum += w;
    for (std::size_t k = 0; k < d.parameters.size(); ++k) {
      const auto* spec = d.parameters[k];
      const auto x = d.theta[i][k];
      if (!std::isfinite(x) || x < spec->min || x > spec->max)
        throw DataError(path.string(), row_line(i), k + 2, std::string(spec->key),
                        fmt::format("particle {}: {} lies outside the parameter's range [{}, {}]", i, x, spec->min,
                                    spec->max));
    }
  }
  if (!(sum > 0) || !std::isfinite(sum))
    throw DataError(path.string(), 0, 1, "weight",
                    fmt::format("the particles' weights sum to {}: at least one must be positive", sum));
}

PosteriorDraw read_particles_csv(const std::filesystem::path& path) {
  std::istringstream in(read_text_file(path));
  PosteriorDraw d;
  std::vector<std::size_t> lines;
  std::vector<std::string> header;
  std::size_t line_no = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line.front() == '#') continue;
    const auto cells = split_commas(line);
    if (header.empty()) {
      header = cells;
      if (header.front() != "weight")
        throw DataError(path.string(), line_no, 1, "weight",
                        "a posterior particles file starts with the column 'weight'");
      for (std::size_t c = 1; c < header.size(); ++c) {
        const auto* spec = find_parameter(header[c]);
        if (!spec)
          throw DataError(path.string(), line_no, c + 1, header[c], fmt::format("unknown parameter '{}'", header[c]));
        d.parameters.push_back(spec);
      }
      continue;
    }
    if (cells.size() != header.size())
      throw DataError(path.string(), line_no, 1, "",
                      fmt::format("{} fields where the header has {}", cells.size(), header.size()));
    std::vector<double> values;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      double x = 0;
      const auto* end = cells[c].data() + cells[c].size();
      const auto [ptr, ec] = std::from_chars(cells[c].data(), end, x);
      if (ec != std::errc() || ptr != end || !std::isfinite(x) || (c == 0 && x < 0))
        throw DataError(path.string(), line_no, c + 1, header[c], fmt::format("'{}' is not a valid number", cells[c]));
      values.push_back(x);
    }
    d.weight.push_back(values.front());
    d.theta.emplace_back(values.begin() + 1, values.end());
    lines.push_back(line_no);
  }
  if (d.theta.empty()) throw DataError(path.string(), line_no, 1, "weight", "no particles");
  check_draw(path, d, [&](std::size_t i) { return lines[i]; });
  return d;
}
}  // namespace

PosteriorDraw read_posterior_draw(const std::filesystem::path& path) {
  if (path.extension() == ".csv") return read_particles_csv(path);
  const auto r = read_posterior_file(path);
  if (r.generations.empty())
    throw DataError(path.string(), 0, 0, "", "the posterior file holds no complete generation yet");
  PosteriorDraw d;
  for (const auto& key : r.parameter_keys) {
    const auto* spec = find_parameter(key);
    if (!spec) throw DataError(path.string(), 0, 0, key, fmt::format("unknown parameter '{}'", key));
    d.parameters.push_back(spec);
  }
  d.theta = r.generations.back().theta;
  d.weight = r.generations.back().weight;
  check_draw(path, d, [](std::size_t) { return std::size_t{0}; });
  if (r.status != "finished")
    spdlog::warn("{}: the calibration is {} (its last complete generation is used)", path.string(), r.status);
  return d;
}

}  // namespace iskabm
