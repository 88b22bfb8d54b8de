#include "output/forecast_ensemble.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "base/errors.hpp"
#include "output/hdf5.hpp"

namespace iskabm {

const std::vector<std::string>& forecast_variables() {
  static const std::vector<std::string> names{"attacks_observed", "attacks", "fatalities_observed", "fatalities"};
  return names;
}

ForecastEnsemble read_forecast_ensemble(const std::filesystem::path& path, const std::string& variable,
                                        std::optional<CivilDate> from) {
  const auto& names = forecast_variables();
  if (std::find(names.begin(), names.end(), variable) == names.end())
    throw UsageError(fmt::format("--variable {}: not a district-month variable of a result file (one of {})", variable,
                                 fmt::join(names, ", ")));
  h5::silence_error_printing();
  ForecastEnsemble e;
  e.source = path.string();
  e.variable = variable;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw IoError(fmt::format("{}: no such file", e.source));
  const auto file = h5::open_read_only(path);
  if (!h5::has_attribute(file, "replicates_complete") || H5Lexists(file, "district_country", H5P_DEFAULT) <= 0)
    throw DataError(e.source, 0, "", "not a result file of iskabm run (docs/output.md)");
  if (H5Lexists(file, variable.c_str(), H5P_DEFAULT) <= 0)
    throw DataError(e.source, 0, variable, "the file holds no such variable");
  e.replicates = static_cast<std::size_t>(h5::read_int_attribute(file, "replicates_complete"));
  if (e.replicates == 0) throw DataError(e.source, 0, "replicate", "the file holds no complete replicate");

  for (const double t : h5::read_all<double>(file, "time")) {
    const auto day = static_cast<DayNumber>(std::lround(t));
    const auto date = to_civil(day);
    if (date.day != 1 || static_cast<double>(day) != t)
      throw DataError(e.source, 0, "time", fmt::format("{} is not the first day of a month", t));
    e.file_months.push_back(date);
  }
  e.district_id = h5::read_strings(file, "district");
  {
    const auto ds = h5::check(H5Dopen2(file, "district_country", H5P_DEFAULT), "district_country");
    const auto meanings = h5::read_string_attribute(ds, "flag_meanings");
    if (meanings != "Afghanistan Pakistan")
      throw DataError(e.source, 0, "district_country",
                      fmt::format("flag_meanings is '{}', expected 'Afghanistan Pakistan'", meanings));
  }
  for (const auto flag : h5::read_all<std::int8_t>(file, "district_country")) {
    if (flag != 0 && flag != 1)
      throw DataError(e.source, 0, "district_country", fmt::format("flag {} is not 0 or 1", flag));
    e.district_country.push_back(static_cast<Country>(flag));
  }
  if (e.district_country.size() != e.district_id.size())
    throw DataError(e.source, 0, "district_country", "does not have one flag per district");

  const auto d = h5::dims(file, variable.c_str());
  if (d.size() != 3 || d[0] < e.replicates || d[1] != e.file_months.size() || d[2] != e.district_id.size())
    throw DataError(e.source, 0, variable, "is not a (replicate, time, district) variable of the file's sizes");
  e.first_month = 0;
  if (from) {
    const auto target = to_day_number(*from);
    e.first_month =
        static_cast<std::size_t>(std::find_if(e.file_months.begin(), e.file_months.end(),
                                              [&](const CivilDate& m) { return to_day_number(m) >= target; }) -
                                 e.file_months.begin());
  }
  e.months = e.file_months.size() - e.first_month;
  e.values.assign(e.replicates * e.months * e.district_id.size(), 0);
  if (e.months == 0) return e;
  const auto ds = h5::check(H5Dopen2(file, variable.c_str(), H5P_DEFAULT), fmt::format("{}: {}", e.source, variable));
  const auto space = h5::check(H5Dget_space(ds), variable);
  const hsize_t start[3] = {0, e.first_month, 0};
  const hsize_t count[3] = {e.replicates, e.months, e.district_id.size()};
  h5::check_status(H5Sselect_hyperslab(space, H5S_SELECT_SET, start, nullptr, count, nullptr), variable);
  const auto mem = h5::check(H5Screate_simple(3, count, nullptr), variable);
  h5::check_status(H5Dread(ds, H5T_NATIVE_INT32, mem, space, H5P_DEFAULT, e.values.data()),
                   fmt::format("{}: {}", e.source, variable));
  return e;
}

}  // namespace iskabm
