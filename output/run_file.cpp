#include "output/run_file.hpp"

#include <boost/version.hpp>
#include <fmt/format.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <oneapi/tbb/version.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <optional>

#include "base/errors.hpp"
#include "base/output_lock.hpp"
#include "base/run_plan.hpp"
#include "base/text_file.hpp"
#include "iskabm/build_info.hpp"
#include "output/chunk_codec.hpp"
#include "output/hdf5.hpp"
#include "output/netcdf_writer.hpp"
#include "output/schema.hpp"
#include "statistics/summary_statistics.hpp"

namespace iskabm {

std::string parameters_as_toml(const Parameters& p) {
  std::string out;
  for (const auto& s : parameter_specs()) out += fmt::format("{} = {}\n", s.key, p.*(s.field));
  return out;
}

std::string program_source() { return fmt::format("iskabm {} (git {})", build_info::version, build_info::git_commit); }

std::string library_versions() {
  unsigned maj = 0, min = 0, rel = 0;
  H5get_libversion(&maj, &min, &rel);
  return fmt::format("HDF5 {}.{}.{}; Boost {}.{}.{}; oneTBB {}.{}; GCC {}.{}.{}", maj, min, rel, BOOST_VERSION / 100000,
                     BOOST_VERSION / 100 % 1000, BOOST_VERSION % 100, TBB_VERSION_MAJOR, TBB_VERSION_MINOR, __GNUC__,
                     __GNUC_MINOR__, __GNUC_PATCHLEVEL__);
}

namespace {

using h5::check;
using h5::check_status;
using h5::Handle;

constexpr unsigned deflate_level = 1;
// The file is flushed after 16, 32, 64, 128 and 256 replicates, then every 256 (counts, not times:
// equal runs must give equal bytes). The run's checkpoint is its journal; a flush keeps the .tmp
// readable for a look, soon after the start and then now and again: each costs as much as writing
// dozens of replicates (issue 22: HDF5's share of CPU time).
constexpr std::uint64_t flush_every = 256;
[[nodiscard]] constexpr bool flush_after(std::uint64_t replicates) noexcept {
  return replicates % flush_every == 0 || (replicates >= 16 && (replicates & (replicates - 1)) == 0);
}
// The per-replicate variables grow by this many rows at a time and are cut to the replicates
// written at each flush and at the end (one H5Dset_extent per variable per step, not per replicate).
constexpr hsize_t extent_step = 64;
// Events are written in blocks of this many rows (one event chunk), not per replicate.
constexpr std::size_t event_block = 4096;

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}

hid_t file_type(StoredType t) {
  switch (t) {
    case StoredType::int8: return H5T_STD_I8LE;
    case StoredType::int32: return H5T_STD_I32LE;
    case StoredType::int64: return H5T_STD_I64LE;
    case StoredType::float64: return H5T_IEEE_F64LE;
  }
  return H5T_IEEE_F64LE;
}
hid_t memory_type(StoredType t) {
  switch (t) {
    case StoredType::int8: return H5T_NATIVE_INT8;
    case StoredType::int32: return H5T_NATIVE_INT32;
    case StoredType::int64: return H5T_NATIVE_INT64;
    case StoredType::float64: return H5T_NATIVE_DOUBLE;
  }
  return H5T_NATIVE_DOUBLE;
}

// A dataset whose first dimension is `replicate` or `event` (unlimited), appended to block by block.
struct Appendable {
  Handle ds;
  std::vector<hsize_t> block;  // shape of one appended block (first entry: rows per block, set per append)
  hid_t mem_type;
};

}  // namespace

struct RunFileWriter::Impl {
  std::optional<OutputLock> lock;  // first: taken before the .tmp is touched, released last
  std::filesystem::path path, tmp;
  Handle file;
  const World* world = nullptr;
  std::size_t statistic_count = 0;
  std::size_t varying_count = 0;
  bool committed = false;
  bool breakdowns = true, events_on = true;
  std::uint64_t replicates = 0, events = 0;  // written or pending
  hsize_t reserved = 0;                      // rows the per-replicate variables are extended to
  std::vector<AttackEvent> pending;          // events not yet written (the last `pending.size()` of `events`)
  std::vector<std::int64_t> pending_replicate;
  std::size_t months = 0, districts = 0, groups = 0;
  std::map<std::string, Appendable> vars;
  std::vector<std::string> replicate_vars;  // variables with one chunk per replicate, in chunk order
  Handle replicate_scale, event_scale, statistic_scale;

  Handle dcpl(const std::vector<hsize_t>& chunk) {
    auto p = check(H5Pcreate(H5P_DATASET_CREATE), "dataset properties");
    check_status(H5Pset_obj_track_times(p, 0), "track times");
    check_status(H5Pset_attr_creation_order(p, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), "attr order");
    if (!chunk.empty()) {
      check_status(H5Pset_chunk(p, static_cast<int>(chunk.size()), chunk.data()), "chunk");
      check_status(H5Pset_shuffle(p), "shuffle");
      check_status(H5Pset_deflate(p, deflate_level), "deflate");
    }
    return p;
  }

  // A fixed-size 1-D coordinate variable that is its own dimension scale.
  Handle coordinate(const char* name, hid_t file_type, hid_t mem_type, hsize_t n, const void* data) {
    auto space = check(H5Screate_simple(1, &n, nullptr), name);
    auto props = dcpl({});
    auto ds = check(H5Dcreate2(file, name, file_type, space, H5P_DEFAULT, props, H5P_DEFAULT), name);
    if (n > 0) check_status(H5Dwrite(ds, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), name);
    check_status(H5DSset_scale(ds, name), name);
    return ds;
  }
  Handle string_coordinate(const char* name, const std::vector<std::string>& values) {
    std::vector<const char*> p;
    for (const auto& v : values) p.push_back(v.c_str());
    auto t = h5::vlen_string_type();
    return coordinate(name, t, t, values.size(), p.data());
  }
  Handle string_variable(const char* name, const std::vector<std::string>& values, hid_t dim_scale) {
    std::vector<const char*> p;
    for (const auto& v : values) p.push_back(v.c_str());
    auto t = h5::vlen_string_type();
    const hsize_t n = values.size();
    auto space = check(H5Screate_simple(1, &n, nullptr), name);
    auto props = dcpl({});
    auto ds = check(H5Dcreate2(file, name, t, space, H5P_DEFAULT, props, H5P_DEFAULT), name);
    check_status(H5Dwrite(ds, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, p.data()), name);
    check_status(H5DSattach_scale(ds, dim_scale, 0), name);
    return ds;
  }
  // An unlimited 1-D coordinate (replicate, event): int64, chunked.
  Handle unlimited_coordinate(const char* name, hsize_t chunk) {
    hsize_t zero = 0, unlimited = H5S_UNLIMITED;
    auto space = check(H5Screate_simple(1, &zero, &unlimited), name);
    auto props = dcpl({chunk});
    auto ds = check(H5Dcreate2(file, name, H5T_STD_I64LE, space, H5P_DEFAULT, props, H5P_DEFAULT), name);
    check_status(H5DSset_scale(ds, name), name);
    return ds;
  }

  // A variable with an unlimited first dimension, attached to its dimension scales.
  void variable(const std::string& name, hid_t file_type, hid_t mem_type, std::vector<hsize_t> shape,
                const std::vector<hid_t>& scales, const char* units, const char* long_name,
                hsize_t rows_per_chunk = 1) {
    std::vector<hsize_t> zero = shape, max = shape, chunk = shape;
    zero[0] = 0;
    max[0] = H5S_UNLIMITED;
    chunk[0] = rows_per_chunk;
    auto space = check(H5Screate_simple(static_cast<int>(shape.size()), zero.data(), max.data()), name);
    auto props = dcpl(chunk);
    auto ds = check(H5Dcreate2(file, name.c_str(), file_type, space, H5P_DEFAULT, props, H5P_DEFAULT), name);
    h5::set_attribute(ds, "units", std::string_view(units));
    h5::set_attribute(ds, "long_name", std::string_view(long_name));
    for (std::size_t k = 0; k < scales.size(); ++k)
      check_status(H5DSattach_scale(ds, scales[k], static_cast<unsigned>(k)), name);
    if (rows_per_chunk == 1 && name.rfind("event", 0) != 0) replicate_vars.push_back(name);
    vars.emplace(name, Appendable{std::move(ds), shape, mem_type});
  }

  // Writes the pending events and cuts the per-replicate variables to the replicates written: the
  // file then holds exactly the replicates appended so far.
  void settle() {
    write_pending_events();
    if (reserved != replicates) {
      for (const auto& name : replicate_vars) {
        auto& v = vars.at(name);
        std::vector<hsize_t> extent = v.block;
        extent[0] = replicates;
        check_status(H5Dset_extent(v.ds, extent.data()), name);
      }
      reserved = replicates;
    }
    h5::set_attribute(file, "replicates_complete", static_cast<std::int64_t>(replicates));
  }
  // The pending events, one variable at a time (converted from double: every field fits exactly).
  void write_pending_events() {
    if (pending.empty()) return;
    const hsize_t n = pending.size(), e0 = events - n;
    std::vector<double> column(n);
    for (const auto* v : output_variables(VariableRole::event)) {
      for (std::size_t i = 0; i < n; ++i)
        column[i] = v->get ? v->get(pending[i]) : static_cast<double>(pending_replicate[i]);  // event_replicate
      write_converted(v->name, v->type, e0, column);
    }
    std::vector<std::int64_t> index(n);
    for (std::size_t i = 0; i < n; ++i) index[i] = static_cast<std::int64_t>(e0 + i);
    write_rows(event_scale, {0}, H5T_NATIVE_INT64, e0, n, index.data(), "event");
    pending.clear();
    pending_replicate.clear();
  }

  // Records the replicate count and closes every handle, then the file (checking the close).
  void close() {
    settle();
    vars.clear();
    statistic_scale.reset();
    replicate_scale.reset();
    event_scale.reset();
    if (H5Fclose(file.get()) < 0)
      throw IoError(fmt::format("{}: cannot close: {}", tmp.string(), h5::error_message()));
    (void)file.release_for_close();
  }

  // Appends `rows` rows at position `at` of a variable; `data` holds rows x block elements.
  void write_rows(const std::string& name, hsize_t at, hsize_t rows, const void* data) {
    auto& v = vars.at(name);
    write_rows(v.ds, v.block, v.mem_type, at, rows, data, name);
  }
  static void write_rows(hid_t ds, std::vector<hsize_t> block, hid_t mem_type, hsize_t at, hsize_t rows,
                         const void* data, const std::string& name) {
    std::vector<hsize_t> extent = block, start(block.size(), 0);
    extent[0] = at + rows;
    check_status(H5Dset_extent(ds, extent.data()), name);
    if (rows == 0) return;
    auto space = check(H5Dget_space(ds), name);
    block[0] = rows;
    start[0] = at;
    check_status(H5Sselect_hyperslab(space, H5S_SELECT_SET, start.data(), nullptr, block.data(), nullptr), name);
    auto mem = check(H5Screate_simple(static_cast<int>(block.size()), block.data(), nullptr), name);
    check_status(H5Dwrite(ds, mem_type, mem, space, H5P_DEFAULT, data), name);
  }
  // Appends one value per row to a 1-D variable, converted to its stored type.
  void write_converted(const std::string& name, StoredType type, hsize_t at, const std::vector<double>& values) {
    const auto write = [&]<class T>(T) {
      std::vector<T> typed(values.size());
      for (std::size_t i = 0; i < values.size(); ++i) typed[i] = static_cast<T>(values[i]);
      write_rows(name, at, values.size(), typed.data());
    };
    switch (type) {
      case StoredType::int8: write(std::int8_t{}); break;
      case StoredType::int32: write(std::int32_t{}); break;
      case StoredType::int64: write(std::int64_t{}); break;
      case StoredType::float64: write(double{}); break;
    }
  }
};

RunFileWriter::RunFileWriter(const std::filesystem::path& path, const World& w, const RunMetadata& meta)
    : impl_(std::make_unique<Impl>()) {
  auto& m = *impl_;
  h5::silence_error_printing();
  m.lock.emplace(path);  // BusyError if another process writes this output
  m.path = path;
  m.tmp = path;
  m.tmp += ".tmp";
  m.world = &w;
  m.months = static_cast<std::size_t>(w.calendar.months);
  m.districts = w.districts();
  m.groups = w.config.groups.size();
  const auto& geo = *w.geography;
  const auto label = m.tmp.string();

  auto fapl = check(H5Pcreate(H5P_FILE_ACCESS), label);
  check_status(H5Pset_libver_bounds(fapl, H5F_LIBVER_V18, H5F_LIBVER_V18), label);
  auto fcpl = check(H5Pcreate(H5P_FILE_CREATE), label);
  check_status(H5Pset_link_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), label);
  check_status(H5Pset_attr_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), label);
  check_status(H5Pset_obj_track_times(fcpl, 0), label);  // no timestamps on the root group either
  m.file = h5::create_exclusive(m.tmp, fcpl, fapl);

  // Global attributes: provenance.
  h5::set_attribute(m.file, "Conventions", std::string_view("CF-1.8"));
  h5::set_attribute(m.file, "title", std::string_view(w.config.title));
  h5::set_attribute(m.file, "institution", std::string_view("iskabm"));
  h5::set_attribute(m.file, "source", std::string_view(program_source()));
  h5::set_attribute(m.file, "history", std::string_view(meta.command_line));
  h5::set_attribute(m.file, "configuration_toml", std::string_view(meta.config_text));
  h5::set_attribute(m.file, "parameters_toml", std::string_view(parameters_as_toml(w.config.parameters)));
  h5::set_attribute(m.file, "seed", meta.seed);
  h5::set_attribute(m.file, "first_replicate", meta.first_replicate);
  if (meta.command) {
    const auto& c = *meta.command;
    h5::set_attribute(m.file, "run_scenario", std::string_view(c.scenario));
    h5::set_attribute(m.file, "run_ensemble_first_replicate", c.ensemble.first);
    h5::set_attribute(m.file, "run_ensemble_replicates", c.ensemble.count);
    h5::set_attribute(m.file, "run_no_posterior", std::uint64_t{c.no_posterior ? 1u : 0u});
    h5::set_attribute(m.file, "run_posterior", std::string_view(c.posterior));
  }
  h5::set_attribute(m.file, "library_versions", std::string_view(library_versions()));
  h5::set_attribute(m.file, "replicates_complete", std::int64_t{0});

  // Coordinates.
  m.replicate_scale = m.unlimited_coordinate("replicate", 64);
  h5::set_attribute(m.replicate_scale, "long_name", std::string_view("replicate number (keys its random streams)"));
  std::vector<double> month_start(m.months);
  for (std::size_t t = 0; t < w.days(); ++t)
    if (t == 0 || w.calendar.month_index[t] != w.calendar.month_index[t - 1])
      month_start[w.calendar.month_index[t]] = static_cast<double>(w.day_number(t));
  auto time = m.coordinate("time", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, m.months, month_start.data());
  h5::set_attribute(time, "units", std::string_view("days since 1970-01-01 00:00:00"));
  h5::set_attribute(time, "calendar", std::string_view("standard"));
  h5::set_attribute(time, "axis", std::string_view("T"));
  h5::set_attribute(time, "long_name", std::string_view("month (first day)"));
  h5::set_attribute(time, "standard_name", std::string_view("time"));
  h5::set_attribute(time, "bounds", std::string_view("time_bnds"));
  {  // CF cell bounds: each month from its first day to the first day of the next
    const double nv_values[2] = {0, 1};
    auto nv = m.coordinate("nv", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 2, nv_values);
    h5::set_attribute(nv, "long_name", std::string_view("start and end of a time cell"));
    std::vector<double> bounds(2 * m.months);
    for (std::size_t k = 0; k < m.months; ++k) {
      bounds[2 * k] = month_start[k];
      bounds[2 * k + 1] = k + 1 < m.months ? month_start[k + 1] : static_cast<double>(w.day_number(w.days() - 1) + 1);
    }
    const hsize_t shape[2] = {m.months, 2};
    auto space = check(H5Screate_simple(2, shape, nullptr), "time_bnds");
    auto props = m.dcpl({});
    auto ds = check(H5Dcreate2(m.file, "time_bnds", H5T_IEEE_F64LE, space, H5P_DEFAULT, props, H5P_DEFAULT),
                    "time_bnds");
    check_status(H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, bounds.data()), "time_bnds");
    h5::set_attribute(ds, "units", std::string_view("days since 1970-01-01 00:00:00"));
    h5::set_attribute(ds, "calendar", std::string_view("standard"));
    check_status(H5DSattach_scale(ds, time, 0), "time_bnds");
    check_status(H5DSattach_scale(ds, nv, 1), "time_bnds");
  }
  auto district = m.string_coordinate("district", geo.district_id);
  h5::set_attribute(district, "long_name", std::string_view("district id (gazetteer key)"));
  std::vector<std::string> group_ids;
  for (const auto& g : w.config.groups) group_ids.push_back(g.id);
  auto group = m.string_coordinate("group", group_ids);
  h5::set_attribute(group, "long_name", std::string_view("militant group"));
  auto partner = m.string_coordinate("partner", group_ids);
  h5::set_attribute(partner, "long_name", std::string_view("joint-attack partner group"));
  auto country = m.string_coordinate("country", {"Afghanistan", "Pakistan"});
  std::vector<std::string> targets, tactics;
  for (std::size_t k = 0; k < target_class_count; ++k) targets.emplace_back(to_string(static_cast<TargetClass>(k)));
  for (std::size_t k = 0; k < tactic_count; ++k) tactics.emplace_back(to_string(static_cast<Tactic>(k)));
  auto target = m.string_coordinate("target_class", targets);
  auto tactic = m.string_coordinate("tactic", tactics);
  m.event_scale = m.unlimited_coordinate("event", 4096);
  h5::set_attribute(m.event_scale, "long_name", std::string_view("attack number (all replicates)"));

  // District attributes.
  std::vector<std::string> province(geo.size());
  for (DistrictIndex d = 0; d < geo.size(); ++d) province[d] = geo.province_name[geo.province[d]];
  // Non-index coordinates of `district` (listed in the `coordinates` attribute of every variable
  // on it): ds.attacks.groupby("province"), ds.where(ds.province == "Nangarhar").
  std::vector<std::string> country_names(geo.size());
  for (DistrictIndex d = 0; d < geo.size(); ++d) country_names[d] = std::string(country_name(geo.country[d]));
  using Attribute = std::tuple<const char*, const std::vector<std::string>*, const char*>;
  for (auto [name, values, long_name] :
       {Attribute{"district_name", &geo.district_name, "district name (gazetteer)"},
        Attribute{"province", &province, "province (Afghanistan) or province / agency (Pakistan)"},
        Attribute{"country_name", &country_names, "country of the district"}}) {
    auto v = m.string_variable(name, *values, district);
    h5::set_attribute(v, "long_name", std::string_view(long_name));
  }
  {
    std::vector<std::int8_t> c(geo.size()), u(geo.size());
    for (DistrictIndex d = 0; d < geo.size(); ++d) {
      c[d] = static_cast<std::int8_t>(geo.country[d]);
      u[d] = static_cast<std::int8_t>(w.config.urban[d]);
    }
    const hsize_t n = geo.size();
    for (auto [name, data, meanings] : {std::tuple{"district_country", &c, "Afghanistan Pakistan"},
                                        std::tuple{"urban_centre", &u, "rural urban_centre"}}) {
      auto space = check(H5Screate_simple(1, &n, nullptr), name);
      auto props = m.dcpl({});
      auto ds = check(H5Dcreate2(m.file, name, H5T_STD_I8LE, space, H5P_DEFAULT, props, H5P_DEFAULT), name);
      check_status(H5Dwrite(ds, H5T_NATIVE_INT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, data->data()), name);
      h5::set_attribute(ds, "flag_values", std::vector<std::int8_t>{0, 1});
      h5::set_attribute(ds, "flag_meanings", std::string_view(meanings));
      h5::set_attribute(ds, "long_name", std::string_view(std::string_view(name) == "urban_centre"
                                                               ? "district holds an urban centre of the network"
                                                               : "country of the district (code)"));
      check_status(H5DSattach_scale(ds, district, 0), name);
    }
  }

  // The recorded variables, in the schema's order (output/schema.cpp).
  m.breakdowns = w.config.output.breakdowns;
  m.events_on = w.config.output.events;
  const std::vector<std::string> stat_names = SummaryStatistics(w).names();
  m.statistic_count = stat_names.size();
  const auto extent = [&](Dimension d) -> hsize_t {
    switch (d) {
      case Dimension::replicate:
      case Dimension::event: return 0;
      case Dimension::time: return m.months;
      case Dimension::district: return m.districts;
      case Dimension::partner:
      case Dimension::group: return m.groups;
      case Dimension::target_class: return target_class_count;
      case Dimension::tactic: return tactic_count;
      case Dimension::country: return country_count;
      case Dimension::statistic: return m.statistic_count;
      case Dimension::calibrated_parameter: return m.varying_count;
    }
    return 0;
  };
  hid_t calibrated = -1;
  const auto scale = [&](Dimension d) -> hid_t {
    switch (d) {
      case Dimension::replicate: return m.replicate_scale;
      case Dimension::event: return m.event_scale;
      case Dimension::time: return time;
      case Dimension::district: return district;
      case Dimension::partner: return partner;
      case Dimension::group: return group;
      case Dimension::target_class: return target;
      case Dimension::tactic: return tactic;
      case Dimension::country: return country;
      case Dimension::statistic: return m.statistic_scale;
      case Dimension::calibrated_parameter: return calibrated;
    }
    return -1;
  };
  Handle calibrated_scale;
  for (const auto& v : output_schema()) {
    if (v.role == VariableRole::breakdown && !m.breakdowns) continue;
    if (v.role == VariableRole::event && !m.events_on) break;
    if (v.role == VariableRole::statistics) {
      m.statistic_scale = m.string_coordinate("statistic", stat_names);
      h5::set_attribute(m.statistic_scale, "long_name", std::string_view("summary statistic (see docs/output.md)"));
      std::vector<std::string> meanings;  // readable labels ("observed attacks, Afghanistan 2015") for people
      const SummaryStatistics statistics(w);
      for (const auto& s : statistics.all()) meanings.push_back(s.meaning);
      auto meaning = m.string_variable("statistic_meaning", meanings, m.statistic_scale);
      h5::set_attribute(meaning, "long_name", std::string_view("what the summary statistic measures"));
    }
    if (v.role == VariableRole::parameters) {
      if (meta.varying_parameters.empty()) continue;
      m.varying_count = meta.varying_parameters.size();
      h5::set_attribute(m.file, "posterior", std::string_view(meta.posterior));
      calibrated_scale = m.string_coordinate("calibrated_parameter", meta.varying_parameters);
      calibrated = calibrated_scale;
      h5::set_attribute(calibrated_scale, "long_name",
                        std::string_view("parameter drawn from the posterior per replicate"));
      std::vector<std::string> units;  // one unit per parameter: an auxiliary coordinate, not an attribute
      for (const auto& key : meta.varying_parameters) {
        const auto* spec = find_parameter(key);
        units.emplace_back(spec ? spec->unit : std::string_view("?"));
      }
      auto unit = m.string_variable("calibrated_parameter_unit", units, calibrated_scale);
      h5::set_attribute(unit, "long_name", std::string_view("unit of the parameter"));
    }
    std::vector<hsize_t> shape;
    std::vector<hid_t> scales;
    for (auto d : v.dimensions) shape.push_back(extent(d)), scales.push_back(scale(d));
    const hsize_t rows = v.role == VariableRole::event ? 4096 : 1;
    m.variable(v.name, file_type(v.type), memory_type(v.type), shape, scales, v.units.c_str(), v.long_name.c_str(),
               rows);
    const hid_t ds = m.vars.at(v.name).ds;
    if (v.units.starts_with("days since")) h5::set_attribute(ds, "calendar", std::string_view("standard"));
    // CF: auxiliary coordinates, and how each monthly value came about.
    const auto on = [&](Dimension d) { return std::find(v.dimensions.begin(), v.dimensions.end(), d) != v.dimensions.end(); };
    if (on(Dimension::district))
      h5::set_attribute(ds, "coordinates", std::string_view("district_name province country_name urban_centre"));
    if (on(Dimension::statistic)) h5::set_attribute(ds, "coordinates", std::string_view("statistic_meaning"));
    if (on(Dimension::calibrated_parameter))
      h5::set_attribute(ds, "coordinates", std::string_view("calibrated_parameter_unit"));
    if (on(Dimension::time)) {
      const bool stock = v.role == VariableRole::group_month &&
                         (v.metric == GroupMetric::members || v.metric == GroupMetric::cells);
      h5::set_attribute(ds, "cell_methods", std::string_view(stock ? "time: point (month end)" : "time: sum"));
    }
    if (!v.flag_meanings.empty()) {
      auto meanings = v.flag_meanings;
      if (const auto at = meanings.find("{groups}"); at != std::string::npos)
        meanings.replace(at, 8, join(group_ids, " "));
      std::vector<std::int8_t> codes;
      const std::int8_t first = meanings.starts_with("none ") ? -1 : 0;
      const auto count = static_cast<std::size_t>(std::count(meanings.begin(), meanings.end(), ' ')) + 1;
      for (std::size_t k = 0; k < count; ++k) codes.push_back(static_cast<std::int8_t>(first + static_cast<int>(k)));
      h5::set_attribute(ds, "flag_values", codes);
      h5::set_attribute(ds, "flag_meanings", std::string_view(meanings));
    }
  }
  check_status(H5Fflush(m.file, H5F_SCOPE_GLOBAL), label);
}

RunFileWriter::~RunFileWriter() {
  if (!impl_ || impl_->committed) return;
  impl_->vars.clear();
  impl_->replicate_scale.reset();
  impl_->event_scale.reset();
  impl_->file.reset();
  std::error_code ec;
  std::filesystem::remove(impl_->tmp, ec);
}

void RunFileWriter::set_observed_statistics(const std::vector<double>& observed) {
  auto& m = *impl_;
  if (observed.size() != m.statistic_count) throw Error("observed statistics do not match the file's list");
  const hsize_t n = observed.size();
  auto space = check(H5Screate_simple(1, &n, nullptr), "observed_statistics");
  auto props = m.dcpl({});
  auto ds = check(H5Dcreate2(m.file, "observed_statistics", H5T_IEEE_F64LE, space, H5P_DEFAULT, props, H5P_DEFAULT),
                  "observed_statistics");
  check_status(H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, observed.data()), "observed_statistics");
  h5::set_attribute(ds, "units", std::string_view("1"));
  h5::set_attribute(ds, "long_name",
                    std::string_view("the summary statistics of the observed record (NaN: not recorded)"));
  check_status(H5DSattach_scale(ds, m.statistic_scale, 0), "observed_statistics");
}

std::uint64_t RunFileWriter::replicates_written() const noexcept { return impl_->replicates; }

PreparedReplicate RunFileWriter::prepare(std::uint64_t replicate, const Recorder& r,
                                         const std::vector<double>* statistics,
                                         const std::vector<double>* parameter_values) const {
  const auto& m = *impl_;
  PreparedReplicate p;
  p.replicate = replicate;
  const auto compress = [&](const std::vector<std::int32_t>& v) {
    p.chunks.push_back(shuffle_deflate(v.data(), v.size(), sizeof(std::int32_t), deflate_level));
  };
  std::vector<std::int32_t> one(m.months * m.groups * country_count);
  // The (month, district) entries with an attack: every district-month array is zero elsewhere
  // (Recorder), so only these rows of them are read.
  const auto attacked = nonzero_indexes(r.attacks.data(), r.attacks.size());
  const auto compress_district = [&](const std::vector<std::int32_t>& v) {
    p.chunks.push_back(shuffle_deflate_rows(v.data(), v.size(), attacked, v.size() / r.attacks.size(), deflate_level));
  };
  for (const auto& v : output_schema()) {
    switch (v.role) {
      case VariableRole::breakdown:
        if (!m.breakdowns) break;
        [[fallthrough]];
      case VariableRole::district_month: compress_district(r.*v.counts); break;
      case VariableRole::group_month: {
        // Recorder layout is [month][group][country][metric]; the file has one int32 variable per metric.
        const auto k = static_cast<std::size_t>(v.metric);
        for (std::size_t i = 0; i < one.size(); ++i)
          one[i] = static_cast<std::int32_t>(r.group_monthly[i * group_metric_count + k]);
        compress(one);
        break;
      }
      case VariableRole::statistics: {
        const auto stats = statistics ? *statistics : summary_statistics(*m.world, r);
        if (stats.size() != m.statistic_count) throw Error("summary statistics do not match the file's list");
        p.chunks.push_back(shuffle_deflate(stats.data(), stats.size(), sizeof(double), deflate_level));
        break;
      }
      case VariableRole::parameters:
        if (m.varying_count == 0) break;
        if (!parameter_values || parameter_values->size() != m.varying_count)
          throw Error("a posterior-driven replicate needs one value per calibrated parameter");
        p.chunks.push_back(shuffle_deflate(parameter_values->data(), m.varying_count, sizeof(double), deflate_level));
        break;
      case VariableRole::event: break;
    }
  }
  if (m.events_on) p.events = r.events;
  return p;
}

void RunFileWriter::append(PreparedReplicate&& p) {
  auto& m = *impl_;
  const hsize_t at = m.replicates;
  const std::uint64_t replicate = p.replicate;
  if (p.chunks.size() != m.replicate_vars.size()) throw Error("prepared replicate does not match the file's variables");
  const bool extend = at + 1 > m.reserved;
  if (extend) m.reserved = at + extent_step;
  for (std::size_t k = 0; k < p.chunks.size(); ++k) {
    const auto& name = m.replicate_vars[k];
    auto& v = m.vars.at(name);
    std::vector<hsize_t> extent = v.block, offset(v.block.size(), 0);
    extent[0] = m.reserved;
    offset[0] = at;
    if (extend) check_status(H5Dset_extent(v.ds, extent.data()), name);
    check_status(H5Dwrite_chunk(v.ds, H5P_DEFAULT, 0, offset.data(), p.chunks[k].size(), p.chunks[k].data()), name);
  }
  if (m.events_on) {
    m.pending.insert(m.pending.end(), p.events.begin(), p.events.end());
    m.pending_replicate.insert(m.pending_replicate.end(), p.events.size(), static_cast<std::int64_t>(replicate));
    m.events += p.events.size();
    if (m.pending.size() >= event_block) m.write_pending_events();
  }
  // The replicate coordinate last: a replicate counts once its coordinate value is written.
  const auto rep_value = static_cast<std::int64_t>(replicate);
  Impl::write_rows(m.replicate_scale, {0}, H5T_NATIVE_INT64, at, 1, &rep_value, "replicate");
  m.replicates += 1;
  if (flush_after(m.replicates)) {
    m.settle();
    check_status(H5Fflush(m.file, H5F_SCOPE_GLOBAL), m.tmp.string());
  }
}

void RunFileWriter::add_attribute(const char* name, std::uint64_t value) {
  h5::set_attribute(impl_->file, name, value);
}
void RunFileWriter::add_attribute(const char* name, const std::string& value) {
  h5::set_attribute(impl_->file, name, std::string_view(value));
}

void RunFileWriter::suspend() {
  impl_->close();
  impl_->committed = true;  // nothing more to do: the .tmp stays for --resume
}

void RunFileWriter::commit() {
  auto& m = *impl_;
  m.close();
  durable_rename(m.tmp, m.path);
  m.committed = true;
}

// ----------------------------------------------------------------------------------- reader

struct RunFileReader::Impl {
  Handle file;
  std::string label;
  std::vector<std::int64_t> event_replicate;  // loaded once
  std::vector<std::size_t> event_begin;       // per stored replicate: first event row (+ end)

  // Replicate k of a (replicate, ...) variable into `out`, which holds `expected` elements: a
  // variable whose slice has another size (a crafted or foreign file) is an IoError, never a
  // read past `out`.
  template <class T>
  void read_block(const char* name, std::size_t k, hid_t mem_type, T* out, std::size_t expected) const {
    auto ds = check(H5Dopen2(file, name, H5P_DEFAULT), fmt::format("{}: {}", label, name));
    auto space = check(H5Dget_space(ds), name);
    const int rank = H5Sget_simple_extent_ndims(space);
    if (rank < 1 || rank > 8) throw IoError(fmt::format("{}: {} is not a per-replicate variable", label, name));
    std::vector<hsize_t> d(static_cast<std::size_t>(rank)), start(d.size(), 0);
    H5Sget_simple_extent_dims(space, d.data(), nullptr);
    if (k >= d[0]) throw IoError(fmt::format("{}: {} holds {} replicates, not {}", label, name, d[0], k + 1));
    std::size_t slice = 1;
    for (std::size_t i = 1; i < d.size(); ++i) slice *= static_cast<std::size_t>(d[i]);
    if (slice != expected)
      throw IoError(fmt::format("{}: {} holds {} values per replicate where the file's dimensions declare {}", label,
                                name, slice, expected));
    start[0] = k;
    d[0] = 1;
    check_status(H5Sselect_hyperslab(space, H5S_SELECT_SET, start.data(), nullptr, d.data(), nullptr), name);
    auto mem = check(H5Screate_simple(rank, d.data(), nullptr), name);
    check_status(H5Dread(ds, mem_type, mem, space, H5P_DEFAULT, out), fmt::format("{}: {}", label, name));
  }
  template <class T>
  void read_rows(const char* name, std::size_t from, std::size_t n, hid_t mem_type, T* out) const {
    if (n == 0) return;
    auto ds = check(H5Dopen2(file, name, H5P_DEFAULT), fmt::format("{}: {}", label, name));
    auto space = check(H5Dget_space(ds), name);
    hsize_t start = from, count = n;
    check_status(H5Sselect_hyperslab(space, H5S_SELECT_SET, &start, nullptr, &count, nullptr), name);
    auto mem = check(H5Screate_simple(1, &count, nullptr), name);
    check_status(H5Dread(ds, mem_type, mem, space, H5P_DEFAULT, out), fmt::format("{}: {}", label, name));
  }
};

RunFileReader::RunFileReader(const std::filesystem::path& path) : impl_(std::make_unique<Impl>()) {
  h5::silence_error_printing();
  auto& m = *impl_;
  m.label = path.string();
  m.file = h5::open_read_only(path);  // a regular file, not an interrupted run's .tmp
  if (!h5::has_attribute(m.file, "replicates_complete") || !h5::has_attribute(m.file, "configuration_toml"))
    throw IoError(fmt::format("{}: not an iskabm result file", m.label));
  const auto n = replicates_complete();
  if (H5Lexists(m.file, "event_replicate", H5P_DEFAULT) > 0) {
    m.event_replicate = h5::read_all<std::int64_t>(m.file, "event_replicate");
    const auto replicates = h5::read_all<std::int64_t>(m.file, "replicate");
    if (replicates.size() < n) throw IoError(fmt::format("{}: fewer replicates stored than it claims", m.label));
    std::size_t row = 0;
    for (std::size_t k = 0; k < n; ++k) {
      m.event_begin.push_back(row);
      while (row < m.event_replicate.size() && m.event_replicate[row] == replicates[k]) ++row;
    }
    m.event_begin.push_back(row);
  }
}

RunFileReader::~RunFileReader() = default;

std::uint64_t RunFileReader::replicates_complete() const {
  return static_cast<std::uint64_t>(h5::read_int_attribute(impl_->file, "replicates_complete"));
}
std::uint64_t RunFileReader::first_replicate() const {
  return h5::has_attribute(impl_->file, "first_replicate")
             ? static_cast<std::uint64_t>(h5::read_int_attribute(impl_->file, "first_replicate"))
             : 0;
}
std::uint64_t RunFileReader::seed() const {
  return static_cast<std::uint64_t>(h5::read_int_attribute(impl_->file, "seed"));
}
std::string RunFileReader::attribute(const char* name) const { return h5::read_string_attribute(impl_->file, name); }
std::uint64_t RunFileReader::unsigned_attribute(const char* name) const {
  const auto v = h5::read_int_attribute(impl_->file, name);
  if (v < 0) throw IoError(fmt::format("{}: attribute {} is negative ({})", impl_->label, name, v));
  return static_cast<std::uint64_t>(v);
}

std::vector<double> RunFileReader::statistics(std::size_t k) const {
  const auto d = h5::dims(impl_->file, "summary_statistics");
  if (d.size() != 2) throw IoError(fmt::format("{}: summary_statistics is not (replicate, statistic)", impl_->label));
  std::vector<double> out(d.at(1));
  impl_->read_block("summary_statistics", k, H5T_NATIVE_DOUBLE, out.data(), out.size());
  return out;
}

std::optional<RunCommand> RunFileReader::run_command() const {
  const auto& m = *impl_;
  if (h5::has_attribute(m.file, "run_scenario")) {
    RunCommand c;
    c.scenario = attribute("run_scenario");
    c.seed = seed();
    c.ensemble = ReplicateRange{unsigned_attribute("run_ensemble_first_replicate"),
                                unsigned_attribute("run_ensemble_replicates")};
    if (h5::has_attribute(m.file, "shard_count"))
      c.shard = Shard{unsigned_attribute("shard_index"), unsigned_attribute("shard_count")};
    c.no_posterior = unsigned_attribute("run_no_posterior") != 0;
    c.posterior = attribute("run_posterior");
    return c;
  }
  return parse_run_command(h5::has_attribute(m.file, "history") ? attribute("history") : std::string());
}

std::uint64_t RunFileReader::planned_replicates() const {
  const auto& m = *impl_;
  const auto history = h5::has_attribute(m.file, "history") ? attribute("history") : std::string();
  if (const auto command = run_command()) return command->written().count;  // a shard's: its own
  const auto at = history.find("--replicates ");
  if (at == std::string::npos) throw IoError(fmt::format("{}: no replicate range in its history attribute", m.label));
  return std::stoull(history.substr(at + 13));
}

void RunFileReader::require_complete() const {
  const auto& m = *impl_;
  const auto planned = planned_replicates();
  const auto complete = replicates_complete();
  if (complete < planned)
    throw IoError(
        fmt::format("{}: incomplete result: {} of the {} replicates its run names are complete (an "
                    "interrupted run; finish it with `iskabm run ... --resume`)",
                    m.label, complete, planned));
  if (complete == 0) throw IoError(fmt::format("{}: holds no replicate", m.label));
}

bool RunFileReader::has_variable(const std::string& name) const {
  return H5Lexists(impl_->file, name.c_str(), H5P_DEFAULT) > 0;
}
bool RunFileReader::has_attribute(const char* name) const { return h5::has_attribute(impl_->file, name); }

std::vector<std::size_t> RunFileReader::shape(const std::string& name) const {
  const auto d = h5::dims(impl_->file, name.c_str());
  return {d.begin(), d.end()};
}
std::vector<std::string> RunFileReader::strings(const std::string& name) const {
  return h5::read_strings(impl_->file, name.c_str());
}
std::vector<std::int64_t> RunFileReader::integers(const std::string& name) const {
  return h5::read_all<std::int64_t>(impl_->file, name.c_str());
}
std::vector<double> RunFileReader::doubles(const std::string& name) const {
  return h5::read_all<double>(impl_->file, name.c_str());
}
namespace {
std::size_t slice_size(const std::vector<hsize_t>& d) {
  std::size_t n = 1;
  for (std::size_t i = 1; i < d.size(); ++i) n *= static_cast<std::size_t>(d[i]);
  return n;
}
}  // namespace

std::vector<std::int64_t> RunFileReader::replicate_integers(const std::string& name, std::size_t k) const {
  std::vector<std::int64_t> out(slice_size(h5::dims(impl_->file, name.c_str())));
  impl_->read_block(name.c_str(), k, H5T_NATIVE_INT64, out.data(), out.size());
  return out;
}
std::vector<double> RunFileReader::replicate_doubles(const std::string& name, std::size_t k) const {
  std::vector<double> out(slice_size(h5::dims(impl_->file, name.c_str())));
  impl_->read_block(name.c_str(), k, H5T_NATIVE_DOUBLE, out.data(), out.size());
  return out;
}

void RunFileReader::read(std::size_t k, const World& w, Recorder& r) const {
  const auto& m = *impl_;
  if (k >= replicates_complete())
    throw IoError(fmt::format("{}: replicate {} requested but {} are complete", m.label, k, replicates_complete()));
  r = Recorder(w);
  std::vector<std::int64_t> one(r.months * r.groups * country_count);
  for (const auto& v : output_schema()) {
    switch (v.role) {
      case VariableRole::breakdown:
        if (!w.config.output.breakdowns) break;
        [[fallthrough]];
      case VariableRole::district_month:
        m.read_block(v.name.c_str(), k, H5T_NATIVE_INT32, (r.*v.counts).data(), (r.*v.counts).size());
        break;
      case VariableRole::group_month: {
        m.read_block(v.name.c_str(), k, H5T_NATIVE_INT64, one.data(), one.size());
        const auto metric = static_cast<std::size_t>(v.metric);
        for (std::size_t i = 0; i < one.size(); ++i) r.group_monthly[i * group_metric_count + metric] = one[i];
        break;
      }
      case VariableRole::statistics:
      case VariableRole::parameters:
      case VariableRole::event: break;
    }
  }
  r.events.clear();
  if (!w.config.output.events || m.event_begin.empty()) return;
  const auto from = m.event_begin[k], n = m.event_begin[k + 1] - from;
  r.events.assign(n, AttackEvent{});
  std::vector<double> column(n);
  for (const auto* v : output_variables(VariableRole::event)) {
    if (!v->set) continue;  // event_replicate: known
    m.read_rows(v->name.c_str(), from, n, H5T_NATIVE_DOUBLE, column.data());
    for (std::size_t i = 0; i < n; ++i) v->set(r.events[i], column[i]);
  }
}

}  // namespace iskabm
