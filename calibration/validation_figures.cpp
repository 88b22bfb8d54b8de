#include "calibration/validation_figures.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "base/errors.hpp"
#include "base/quantile.hpp"
#include "model/calendar.hpp"
#include "output/hdf5.hpp"

namespace iskabm {

namespace {

// What a run holds, per replicate, for the counterparts below.
struct RunData {
  std::size_t replicates = 0, months = 0, groups = 0;
  std::vector<CivilDate> month;       // first day of each month
  std::vector<std::int32_t> members;  // [replicate][month][group][country]
  std::size_t focal = 0;              // ISK (else the first group)
  bool events = false;
  std::vector<std::size_t> event_replicate;  // index into 0..replicates-1
  std::vector<DayNumber> event_day;
  std::vector<std::int8_t> event_group, event_observed, event_claimed, event_target, event_country;
  std::vector<std::int32_t> event_fatalities;

  [[nodiscard]] int month_index(int year, int m) const {
    for (std::size_t k = 0; k < month.size(); ++k)
      if (month[k].year == year && month[k].month == m) return static_cast<int>(k);
    return -1;
  }
  [[nodiscard]] double members_afghanistan(std::size_t r, std::size_t m) const {
    return members[((r * months + m) * groups + focal) * 2 + 0];
  }
};

RunData read_run(const std::filesystem::path& path) {
  RunData d;
  const auto source = path.string();
  h5::silence_error_printing();
  const auto file = h5::open_read_only(path);
  const auto groups = h5::read_strings(file, "group");
  const auto time = h5::read_all<double>(file, "time");
  const auto replicate_ids = h5::read_all<std::int64_t>(file, "replicate");
  d.replicates = replicate_ids.size();
  d.months = time.size();
  d.groups = groups.size();
  for (double t : time) d.month.push_back(to_civil(static_cast<DayNumber>(t)));
  const auto it = std::find(groups.begin(), groups.end(), "ISK");
  d.focal = it == groups.end() ? 0 : static_cast<std::size_t>(it - groups.begin());
  d.members = h5::read_all<std::int32_t>(file, "group_members");
  if (d.members.size() != d.replicates * d.months * d.groups * 2)
    throw DataError(source, 0, 0, "group_members", "does not have the shape (replicate, time, group, country)");
  d.events = H5Lexists(file, "event_time", H5P_DEFAULT) > 0;
  if (!d.events) return d;
  const auto country = h5::read_all<std::int8_t>(file, "district_country");
  const auto district = h5::read_all<std::int32_t>(file, "event_district");
  const auto event_time = h5::read_all<double>(file, "event_time");
  const auto event_rep = h5::read_all<std::int64_t>(file, "event_replicate");
  d.event_group = h5::read_all<std::int8_t>(file, "event_group");
  d.event_observed = h5::read_all<std::int8_t>(file, "event_observed");
  d.event_claimed = h5::read_all<std::int8_t>(file, "event_claimed");
  d.event_target = h5::read_all<std::int8_t>(file, "event_target");
  d.event_fatalities = h5::read_all<std::int32_t>(file, "event_fatalities");
  std::map<std::int64_t, std::size_t> index;
  for (std::size_t r = 0; r < replicate_ids.size(); ++r) index[replicate_ids[r]] = r;
  for (std::size_t e = 0; e < event_time.size(); ++e) {
    d.event_day.push_back(static_cast<DayNumber>(event_time[e]));
    d.event_replicate.push_back(index.at(event_rep[e]));
    d.event_country.push_back(country[static_cast<std::size_t>(district[e])]);
  }
  return d;
}

constexpr std::int8_t afghanistan = 0, pakistan = 1;
constexpr std::int8_t civilians = 0, sectarian = 1;  // target classes (model/model_config.hpp order)

using EventFilter = bool (*)(const RunData&, std::size_t);

// How a counterpart reads the run over its period [from, to] (inclusive): the focal group's
// members in Afghanistan at the end of the period or averaged over its months, or over the focal
// group's events in the period that pass the filter, their count, their fatalities, or the
// fatalities of the deadliest.
enum class Reading : std::uint8_t { strength_at_end, strength_mean, event_count, event_fatalities, deadliest_event };

struct Counterpart {
  const char* quantity;
  CivilDate from, to;
  Reading reading;
  EventFilter keep = nullptr;  // event readings only
  [[nodiscard]] bool needs_events() const noexcept {
    return reading != Reading::strength_at_end && reading != Reading::strength_mean;
  }
};

std::vector<double> strength_at(const RunData& d, int year, int month) {
  std::vector<double> v;
  const int m = d.month_index(year, month);
  for (std::size_t r = 0; r < d.replicates; ++r) v.push_back(d.members_afghanistan(r, static_cast<std::size_t>(m)));
  return v;
}

std::vector<double> values_of(const RunData& d, const Counterpart& c) {
  std::vector<double> v(d.replicates, 0.0);
  if (c.reading == Reading::strength_at_end) return strength_at(d, c.to.year, c.to.month);
  if (c.reading == Reading::strength_mean) {
    const int first = c.from.year * 12 + c.from.month - 1, last = c.to.year * 12 + c.to.month - 1;
    for (int m = first; m <= last; ++m) {
      const auto s = strength_at(d, m / 12, m % 12 + 1);
      for (std::size_t r = 0; r < d.replicates; ++r) v[r] += s[r] / (last - first + 1);
    }
    return v;
  }
  const auto a = to_day_number(c.from), b = to_day_number(c.to);
  for (std::size_t e = 0; e < d.event_day.size(); ++e) {
    if (d.event_day[e] < a || d.event_day[e] > b) continue;
    if (static_cast<std::size_t>(d.event_group[e]) != d.focal || !c.keep(d, e)) continue;
    auto& x = v[d.event_replicate[e]];
    const double killed = d.event_fatalities[e];
    x = c.reading == Reading::event_count        ? x + 1
        : c.reading == Reading::event_fatalities ? x + killed
                                                 : std::max(x, killed);
  }
  return v;
}

bool claimed_on_civilians(const RunData& d, std::size_t e) {
  return d.event_claimed[e] && d.event_country[e] == afghanistan &&
         (d.event_target[e] == civilians || d.event_target[e] == sectarian);
}
bool claimed_in_afghanistan(const RunData& d, std::size_t e) {
  return d.event_claimed[e] && d.event_country[e] == afghanistan;
}
bool reported_in_pakistan(const RunData& d, std::size_t e) {
  return d.event_observed[e] && d.event_country[e] == pakistan;
}
bool any_event(const RunData&, std::size_t) { return true; }

const std::map<std::string, Counterpart>& counterparts() {
  using R = Reading;
  static const std::map<std::string, Counterpart> c = {
      {"F10", {"ISK members in Afghanistan, Dec 2019", {2019, 12, 1}, {2019, 12, 31}, R::strength_at_end}},
      {"F11", {"ISK members in Afghanistan, mean of 2020", {2020, 1, 1}, {2020, 12, 31}, R::strength_mean}},
      {"F12",
       {"ISK members in Afghanistan, Dec 2021 (after the prison releases)",
        {2021, 12, 1},
        {2021, 12, 31},
        R::strength_at_end}},
      {"F13", {"ISK members in Afghanistan, mean of 2020 (CRT 2020)", {2020, 1, 1}, {2020, 12, 31}, R::strength_mean}},
      {"F14",
       {"ISK members in Afghanistan, Jun 2023 (the figure counts families too)",
        {2023, 6, 1},
        {2023, 6, 30},
        R::strength_at_end}},
      {"F15", {"ISK members in Afghanistan, Dec 2024", {2024, 12, 1}, {2024, 12, 31}, R::strength_at_end}},
      {"F16",
       {"claimed ISK attacks on civilian or sectarian targets, Afghanistan, H1 2018",
        {2018, 1, 1},
        {2018, 6, 30},
        R::event_count,
        claimed_on_civilians}},
      {"F17",
       {"claimed ISK attacks on civilian or sectarian targets, Afghanistan, H1 2017",
        {2017, 1, 1},
        {2017, 6, 30},
        R::event_count,
        claimed_on_civilians}},
      {"F20",
       {"claimed ISK attacks, Afghanistan, 2020",
        {2020, 1, 1},
        {2020, 12, 31},
        R::event_count,
        claimed_in_afghanistan}},
      {"F21",
       {"claimed ISK attacks, Afghanistan, 2021",
        {2021, 1, 1},
        {2021, 12, 31},
        R::event_count,
        claimed_in_afghanistan}},
      {"F22",
       {"people killed by ISK attacks, both countries, 2021",
        {2021, 1, 1},
        {2021, 12, 31},
        R::event_fatalities,
        any_event}},
      {"F23",
       {"reported ISK attacks, Pakistan, 2017 (the figure: at least 6 major ones)",
        {2017, 1, 1},
        {2017, 12, 31},
        R::event_count,
        reported_in_pakistan}},
      {"F24",
       {"claimed ISK attacks on civilian or sectarian targets, Afghanistan, Jul-Sep 2024",
        {2024, 7, 1},
        {2024, 9, 30},
        R::event_count,
        claimed_on_civilians}},
      {"F25",
       {"killed in the deadliest reported ISK attack, Pakistan, 2018",
        {2018, 1, 1},
        {2018, 12, 31},
        R::deadliest_event,
        reported_in_pakistan}},
      {"F26",
       {"killed in the deadliest reported ISK attack, Pakistan, 2016",
        {2016, 1, 1},
        {2016, 12, 31},
        R::deadliest_event,
        reported_in_pakistan}},
      {"F27",
       {"killed in the deadliest reported ISK attack, Pakistan, 2023",
        {2023, 1, 1},
        {2023, 12, 31},
        R::deadliest_event,
        reported_in_pakistan}},
  };
  return c;
}

const std::map<std::string, const char*>& not_modelled_reasons() {
  static const std::map<std::string, const char*> m = {
      {"F08", "air strikes are an input (pressure), not an output"},
      {"F09", "air strikes are an input (pressure), not an output"},
      {"F18", "casualties include the injured, which the model does not count"},
      {"F19", "a share of all civilian deaths in Afghanistan, most of them not ISK's"}};
  return m;
}

}  // namespace

ValidationCheck check_validation_figures(const std::filesystem::path& run, const PublishedFigures& figures,
                                         const std::vector<std::string>& validation) {
  ValidationCheck out;
  const auto d = read_run(run);
  out.events_stored = d.events;
  const auto& table = counterparts();
  const auto first = d.month.front(), last = d.month.back();
  const auto month_number = [](const CivilDate& c) { return c.year * 12 + c.month; };
  for (const auto& id : validation) {
    const auto it = table.find(id);
    if (it == table.end()) {
      const auto reason = not_modelled_reasons().find(id);
      out.not_modelled.push_back(reason == not_modelled_reasons().end() ? id
                                                                        : fmt::format("{} ({})", id, reason->second));
      continue;
    }
    const auto& c = it->second;
    if (month_number(c.from) < month_number(first) || month_number(c.to) > month_number(last) ||
        (c.needs_events() && !d.events)) {
      out.outside_window.push_back(id);
      continue;
    }
    const auto* f = figures.find(id);
    if (!f) continue;
    ValidationRow row;
    row.id = id;
    row.quantity = c.quantity;
    row.low = f->value_low;
    row.high = f->value_high;
    const auto values = values_of(d, c);
    row.replicates = values.size();
    row.median = quantile(values, 0.5);
    row.q05 = quantile(values, 0.05);
    row.q95 = quantile(values, 0.95);
    out.rows.push_back(std::move(row));
  }
  return out;
}

}  // namespace iskabm
