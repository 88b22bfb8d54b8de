#include "output/run_export.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <limits>
#include <map>
#include <memory>

#include "base/csv_writer.hpp"
#include "base/errors.hpp"
#include "base/text_file.hpp"
#include "model/calendar.hpp"
#include "output/run_file.hpp"
#include "output/schema.hpp"

namespace iskabm {

namespace fs = std::filesystem;

namespace {

// A CSV table written through a large buffer; fields are quoted where CSV needs it.
class CsvTable {
 public:
  CsvTable(const fs::path& path, std::string_view header) : path_(path) {
    file_.reset(std::fopen(path.c_str(), "wb"));
    if (!file_) throw IoError(fmt::format("{}: cannot write: {}", path.string(), std::strerror(errno)));
    buffer_.append(header);
    buffer_ += '\n';
  }
  template <class... Args>
  void row(fmt::format_string<Args...> format, Args&&... args) {
    fmt::format_to(std::back_inserter(buffer_), format, std::forward<Args>(args)...);
    buffer_ += '\n';
    ++rows_;
    if (buffer_.size() > (1u << 20)) flush();
  }
  std::size_t close() {
    flush();
    if (std::fclose(file_.release()) != 0) throw IoError(fmt::format("{}: write error", path_.string()));
    return rows_;
  }

 private:
  struct Closer {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  void flush() {
    if (!buffer_.empty() && std::fwrite(buffer_.data(), 1, buffer_.size(), file_.get()) != buffer_.size())
      throw IoError(fmt::format("{}: write error: {}", path_.string(), std::strerror(errno)));
    buffer_.clear();
  }
  fs::path path_;
  std::unique_ptr<std::FILE, Closer> file_;
  std::string buffer_;
  std::size_t rows_ = 0;
};

std::string number(double x) { return std::isnan(x) ? std::string() : fmt::format("{}", x); }

// Everything the tables share: coordinates and labels.
struct Layout {
  std::size_t replicates = 0, months = 0, districts = 0, groups = 0;
  std::vector<std::int64_t> replicate;
  std::vector<std::string> month;  // "YYYY-MM"
  std::vector<int> year;
  std::vector<std::string> district, district_name, province, group, country_names;
  std::vector<std::int64_t> district_country, urban;
};

Layout read_layout(const RunFileReader& run, const std::string& label) {
  Layout l;
  l.replicates = run.replicates_complete();
  l.replicate = run.integers("replicate");
  l.replicate.resize(l.replicates);
  for (const double t : run.doubles("time")) {
    const auto d = to_civil(static_cast<DayNumber>(t));
    l.month.push_back(fmt::format("{:04}-{:02}", d.year, d.month));
    l.year.push_back(d.year);
  }
  l.months = l.month.size();
  l.district = run.strings("district");
  l.district_name = run.strings("district_name");
  l.province = run.strings("province");
  l.districts = l.district.size();
  l.group = run.strings("group");
  l.groups = l.group.size();
  l.country_names = run.strings("country");
  l.district_country = run.integers("district_country");
  l.urban = run.integers("urban_centre");
  // The district attributes against the district coordinate (a crafted file is an IoError).
  for (const auto& [name, size] : {std::pair{"district_name", l.district_name.size()},
                                   std::pair{"province", l.province.size()},
                                   std::pair{"district_country", l.district_country.size()},
                                   std::pair{"urban_centre", l.urban.size()}})
    if (size != l.districts)
      throw IoError(fmt::format("{}: {} holds {} values for the {} districts the file declares", label, name, size,
                                l.districts));
  if (l.country_names.size() != 2)
    throw IoError(fmt::format("{}: country holds {} names, not the 2 countries of the map", label,
                              l.country_names.size()));
  for (const auto c : l.district_country)
    if (c < 0 || static_cast<std::size_t>(c) >= l.country_names.size())
      throw IoError(fmt::format("{}: district_country holds {}, not one of the {} countries", label, c,
                                l.country_names.size()));
  if (l.replicate.size() < l.replicates)
    throw IoError(fmt::format("{}: replicate holds fewer values than the file's complete replicates", label));
  for (auto& name : l.district_name) name = csv_field(name);
  for (auto& name : l.province) name = csv_field(name);
  return l;
}

std::vector<std::string> names_of(VariableRole role) {
  std::vector<std::string> out;
  for (const auto* v : output_variables(role)) out.push_back(v->name);
  return out;
}

void check_shape(const RunFileReader& run, const std::string& variable, std::vector<std::size_t> expected,
                 const std::string& label) {
  auto shape = run.shape(variable);
  if (!shape.empty() && shape[0] >= expected[0]) shape[0] = expected[0];
  if (shape != expected) throw IoError(fmt::format("{}: {} has an unexpected shape", label, variable));
}

ExportedTable write_districts(const Layout& l, const fs::path& dir) {
  CsvTable t(dir / "districts.csv", "district,district_name,province,country,urban_centre");
  for (std::size_t d = 0; d < l.districts; ++d)
    t.row("{},{},{},{},{}", l.district[d], l.district_name[d], l.province[d],
          l.country_names.at(static_cast<std::size_t>(l.district_country[d])), l.urban[d]);
  return {"districts.csv", t.close(), "the district map: id, name, province, country, urban centre (0/1)"};
}

}  // namespace

ExportSummary export_run_csv(const fs::path& path, const fs::path& dir, const ExportOptions& options) {
  const RunFileReader run(path);
  run.require_complete();
  const auto label = path.string();
  const auto l = read_layout(run, label);
  ExportSummary summary;
  summary.replicates = l.replicates;
  const bool dense = options.dense;

  summary.tables.push_back(write_districts(l, dir));

  // District-month variables, and the per-replicate totals by country and year built from them.
  std::vector<int> years;
  for (const int y : l.year)
    if (years.empty() || years.back() != y) years.push_back(y);
  CsvTable dm(dir / "district_month.csv", "replicate,month,district,country,province,variable,value");
  // Totals never share a typed column with values: by country and year (dense), and over the
  // whole window in their own table, one column per country and one for both.
  CsvTable totals(dir / "replicate_totals.csv", "replicate,variable,country,year,value");
  CsvTable window(dir / "replicate_window_totals.csv",
                  fmt::format("replicate,variable,{},{},both_countries", csv_field(l.country_names[0]),
                              csv_field(l.country_names[1])));
  // Dense aggregates, zeros included: replicate x month x country and replicate x year x province.
  CsvTable country_month(dir / "country_month.csv", "replicate,month,country,variable,value");
  CsvTable province_year(dir / "province_year.csv", "replicate,year,province,variable,value");
  std::vector<std::string> provinces;  // in the order of the map
  std::vector<std::size_t> province_of(l.districts);
  for (std::size_t d = 0; d < l.districts; ++d) {
    const auto it = std::find(provinces.begin(), provinces.end(), l.province[d]);
    province_of[d] = static_cast<std::size_t>(it - provinces.begin());
    if (it == provinces.end()) provinces.push_back(l.province[d]);
  }
  // Totals: every district-month variable, and the compared breakdowns summed over their categories.
  const auto district_variables = names_of(VariableRole::district_month);
  std::vector<std::string> total_variables = district_variables;
  bool has_breakdowns = false;
  for (const auto* v : output_variables(VariableRole::breakdown)) {
    has_breakdowns = has_breakdowns || run.has_variable(v->name);
    if (v->compared && run.has_variable(v->name)) total_variables.push_back(v->name);
  }
  for (const auto& v : district_variables) check_shape(run, v, {l.replicates, l.months, l.districts}, label);
  for (std::size_t k = 0; k < l.replicates; ++k) {
    for (const auto& v : total_variables) {
      const bool breakdown = find_output_variable(v)->role == VariableRole::breakdown;
      std::vector<std::int64_t> values = run.replicate_integers(v, k);
      if (breakdown) {  // summed over the categories
        const auto inner = values.size() / (l.months * l.districts);
        std::vector<std::int64_t> sum(l.months * l.districts, 0);
        for (std::size_t i = 0; i < sum.size(); ++i)
          for (std::size_t g = 0; g < inner; ++g) sum[i] += values[i * inner + g];
        values = std::move(sum);
      }
      // [country][year], country 2 = both; year index years.size() = the whole window.
      std::vector<std::vector<std::int64_t>> sum(3, std::vector<std::int64_t>(years.size() + 1, 0));
      std::vector<std::int64_t> by_country_month(l.months * 2, 0), by_province_year(years.size() * provinces.size(), 0);
      std::size_t y = 0;
      for (std::size_t m = 0; m < l.months; ++m) {
        while (years[y] != l.year[m]) ++y;
        for (std::size_t d = 0; d < l.districts; ++d) {
          const auto value = values[m * l.districts + d];
          const auto c = static_cast<std::size_t>(l.district_country[d]);
          for (const std::size_t cc : {c, std::size_t{2}}) {
            sum[cc][y] += value;
            sum[cc][years.size()] += value;
          }
          by_country_month[m * 2 + c] += value;
          by_province_year[y * provinces.size() + province_of[d]] += value;
          if (!breakdown && (dense || value != 0))
            dm.row("{},{},{},{},{},{},{}", l.replicate[k], l.month[m], l.district[d], l.country_names[c], l.province[d],
                   v, value);
        }
      }
      for (std::size_t c = 0; c < 2; ++c)
        for (std::size_t i = 0; i < years.size(); ++i)
          totals.row("{},{},{},{},{}", l.replicate[k], v, l.country_names[c], years[i], sum[c][i]);
      window.row("{},{},{},{},{}", l.replicate[k], v, sum[0][years.size()], sum[1][years.size()], sum[2][years.size()]);
      for (std::size_t m = 0; m < l.months; ++m)
        for (std::size_t c = 0; c < 2; ++c)
          country_month.row("{},{},{},{},{}", l.replicate[k], l.month[m], l.country_names[c], v,
                            by_country_month[m * 2 + c]);
      for (std::size_t i = 0; i < years.size(); ++i)
        for (std::size_t p = 0; p < provinces.size(); ++p)
          province_year.row("{},{},{},{},{}", l.replicate[k], years[i], provinces[p], v,
                            by_province_year[i * provinces.size() + p]);
    }
  }
  summary.tables.push_back(
      {"district_month.csv", dm.close(),
       fmt::format("replicate x month x district x variable ({}){}", fmt::join(district_variables, ", "),
                   dense ? "" : "; rows with value 0 left out")});
  summary.tables.push_back({"replicate_totals.csv", totals.close(),
                            "per replicate: each variable summed by country and calendar year (dense)"});
  summary.tables.push_back({"replicate_window_totals.csv", window.close(),
                            "per replicate: each variable over the whole window, by country and for both"});
  summary.tables.push_back({"country_month.csv", country_month.close(),
                            "replicate x month x country x variable, dense (zeros included)"});
  summary.tables.push_back({"province_year.csv", province_year.close(),
                            "replicate x year x province x variable, dense (zeros included)"});

  if (has_breakdowns) {
    CsvTable b(dir / "district_month_breakdown.csv",
               "replicate,month,district,country,province,variable,category,value");
    for (const auto* variable : output_variables(VariableRole::breakdown)) {
      const auto& v = variable->name;
      if (!run.has_variable(v)) continue;
      const auto categories = run.strings(std::string(to_string(variable->dimensions.back())));
      check_shape(run, v, {l.replicates, l.months, l.districts, categories.size()}, label);
      for (std::size_t k = 0; k < l.replicates; ++k) {
        const auto values = run.replicate_integers(v, k);
        for (std::size_t m = 0; m < l.months; ++m)
          for (std::size_t d = 0; d < l.districts; ++d)
            for (std::size_t c = 0; c < categories.size(); ++c) {
              const auto value = values[(m * l.districts + d) * categories.size() + c];
              if (dense || value != 0)
                b.row("{},{},{},{},{},{},{},{}", l.replicate[k], l.month[m], l.district[d],
                      l.country_names[static_cast<std::size_t>(l.district_country[d])], l.province[d], v, categories[c],
                      value);
            }
      }
    }
    summary.tables.push_back({"district_month_breakdown.csv", b.close(),
                              fmt::format("joint attacks by partner, attacks by target class and by tactic, per "
                                          "replicate x month x district{}",
                                          dense ? "" : "; rows with value 0 left out")});
  }

  {
    CsvTable g(dir / "group_month.csv", "replicate,month,group,country,variable,value");
    const auto group_variables = names_of(VariableRole::group_month);
    for (const auto& v : group_variables) check_shape(run, v, {l.replicates, l.months, l.groups, 2}, label);
    for (std::size_t k = 0; k < l.replicates; ++k)
      for (const auto& v : group_variables) {
        const auto values = run.replicate_integers(v, k);
        for (std::size_t m = 0; m < l.months; ++m)
          for (std::size_t gi = 0; gi < l.groups; ++gi)
            for (std::size_t c = 0; c < 2; ++c) {
              const auto value = values[(m * l.groups + gi) * 2 + c];
              if (dense || value != 0)
                g.row("{},{},{},{},{},{}", l.replicate[k], l.month[m], l.group[gi], l.country_names[c], v, value);
            }
      }
    summary.tables.push_back({"group_month.csv", g.close(),
                              fmt::format("replicate x month x group x country x variable (members, cells, recruits, "
                                          "losses, moves, attacks){}",
                                          dense ? "" : "; rows with value 0 left out")});
  }

  {
    const auto names = run.strings("statistic");
    const auto observed = run.has_variable("observed_statistics") ? run.doubles("observed_statistics")
                                                                  : std::vector<double>(names.size(), std::numeric_limits<double>::quiet_NaN());
    CsvTable s(dir / "replicate_statistics.csv", "replicate,statistic,value,observed");
    for (std::size_t k = 0; k < l.replicates; ++k) {
      const auto values = run.replicate_doubles("summary_statistics", k);
      for (std::size_t i = 0; i < names.size(); ++i)
        s.row("{},{},{},{}", l.replicate[k], names[i], number(values.at(i)), number(observed.at(i)));
    }
    summary.tables.push_back({"replicate_statistics.csv", s.close(),
                              "per replicate: every summary statistic, with the observed record's value (empty: "
                              "undefined)"});
  }

  if (run.has_variable("parameter_values")) {
    const auto names = run.strings("calibrated_parameter");
    CsvTable p(dir / "replicate_parameters.csv", "replicate,parameter,value");
    for (std::size_t k = 0; k < l.replicates; ++k) {
      const auto values = run.replicate_doubles("parameter_values", k);
      for (std::size_t i = 0; i < names.size(); ++i) p.row("{},{},{}", l.replicate[k], names[i], number(values.at(i)));
    }
    summary.tables.push_back({"replicate_parameters.csv", p.close(),
                              "per replicate: the calibrated parameter values it drew from the posterior"});
  }

  if (run.has_variable("event_replicate")) {
    const auto replicate = run.integers("event_replicate");
    const auto time = run.doubles("event_time");
    const auto district = run.integers("event_district"), fatalities = run.integers("event_fatalities");
    const auto group = run.integers("event_group"), partner = run.integers("event_partner");
    const auto target = run.integers("event_target"), tactic = run.integers("event_tactic");
    const auto observed = run.integers("event_observed"), claimed = run.integers("event_claimed");
    const auto joint = run.integers("event_joint_claimed");
    const auto targets = run.strings("target_class"), tactics = run.strings("tactic");
    const auto last = l.replicate.empty() ? -1 : l.replicate.back();
    // Event variables the table does not decode above are appended as numbers, named without
    // their `event_` prefix.
    constexpr std::string_view decoded[] = {
        "event_replicate", "event_time",   "event_district", "event_fatalities", "event_group",        "event_partner",
        "event_target",    "event_tactic", "event_observed", "event_claimed",    "event_joint_claimed"};
    std::string header =
        "replicate,date,district,country,province,group,partner,target,tactic,fatalities,observed,claimed,joint_"
        "claimed";
    std::vector<std::vector<double>> extra;
    for (const auto* v : output_variables(VariableRole::event)) {
      if (std::find(std::begin(decoded), std::end(decoded), v->name) != std::end(decoded) || !run.has_variable(v->name))
        continue;
      header.append(",").append(v->name, 6, std::string::npos);
      extra.push_back(run.doubles(v->name));
    }
    CsvTable e(dir / "events.csv", header);
    const auto name_of = [&](const std::vector<std::string>& names, std::int64_t i,
                             const char* what) -> const std::string& {
      if (i < 0 || static_cast<std::size_t>(i) >= names.size())
        throw IoError(fmt::format("{}: an event has {} code {} outside its flag values", label, what, i));
      return names[static_cast<std::size_t>(i)];
    };
    for (std::size_t i = 0; i < replicate.size(); ++i) {
      if (replicate[i] > last) break;  // rows past the complete replicates
      const auto d = static_cast<std::size_t>(district.at(i));
      e.row("{},{},{},{},{},{},{},{},{},{},{},{},{}{}", replicate[i],
            to_iso_string(to_civil(static_cast<DayNumber>(time[i]))), name_of(l.district, district[i], "district"),
            l.country_names[static_cast<std::size_t>(l.district_country[d])], l.province[d],
            name_of(l.group, group[i], "group"),
            partner[i] < 0 ? std::string("none") : name_of(l.group, partner[i], "partner"),
            name_of(targets, target[i], "target"), name_of(tactics, tactic[i], "tactic"), fatalities[i], observed[i],
            claimed[i], joint[i], [&] {
              std::string more;
              for (const auto& column : extra) more += fmt::format(",{}", column.at(i));
              return more;
            }());
    }
    summary.tables.push_back({"events.csv", e.close(),
                              "one row per simulated attack: replicate, date, place, group, partner, target, tactic, "
                              "victims killed, observed / claimed / jointly claimed (0/1)"});
  }

  {
    CsvTable m(dir / "metadata.csv", "attribute,value");
    for (const char* a : {"title", "source", "history", "library_versions", "posterior"})
      if (run.has_attribute(a)) m.row("{},{}", a, csv_field(run.attribute(a)));
    m.row("seed,{}", run.seed());
    m.row("first_replicate,{}", run.first_replicate());
    m.row("replicates,{}", l.replicates);
    m.row("dense,{}", dense ? 1 : 0);
    summary.tables.push_back(
        {"metadata.csv", m.close(), "the run's attributes: title, program version, command, seed"});
    write_text_file(dir / "configuration.toml", run.attribute("configuration_toml"));
  }
  return summary;
}

}  // namespace iskabm
