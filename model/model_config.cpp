#include "model/model_config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "model/config_table.hpp"
#include "model/errors.hpp"

namespace iskabm {

namespace {
constexpr std::array<std::string_view, target_class_count> target_names{"civilians", "sectarian", "security_forces",
                                                                         "political", "taliban"};
constexpr std::array<std::string_view, tactic_count> tactic_names{"suicide", "ied", "armed_assault", "other"};
constexpr std::array<std::string_view, tie_type_count> tie_type_names{"ideological", "logistical", "operational"};
constexpr std::array<std::string_view, 2> tie_quality_names{"high_end", "low_end"};
constexpr std::array<std::string_view, pressure_actor_count> actor_names{"afghan_forces", "us_air",
                                                                          "pakistan_military", "taliban_state"};
constexpr DayNumber open_end = 2932896;  // 9999-12-31

template <class Enum, std::size_t N>
Enum enum_of(const ConfigTable& t, std::string_view key, const std::array<std::string_view, N>& names) {
  const auto s = t.string_of(key, std::vector<std::string_view>(names.begin(), names.end()));
  return static_cast<Enum>(std::find(names.begin(), names.end(), s) - names.begin());
}

template <std::size_t N>
std::array<double, N> weights(const ConfigTable& parent, std::string_view key,
                              const std::array<std::string_view, N>& names) {
  const auto t = parent.table(key);
  t.reject_unknown_keys(std::vector<std::string_view>(names.begin(), names.end()));
  std::array<double, N> w{};
  double sum = 0;
  for (std::size_t i = 0; i < N; ++i) sum += w[i] = t.optional_number_in(names[i], 0, 1e6).value_or(0.0);
  if (!(sum > 0)) parent.fail(key, "weights must not all be zero");
  return w;
}

DistrictIndex district_of(const ConfigTable& t, std::string_view key, const std::string& id, const Geography& geo) {
  if (auto d = geo.find(id)) return *d;
  const auto hint = closest_match(id, geo.district_id);
  t.fail(key, fmt::format("unknown district id '{}'{}", id, hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
}

ProvinceIndex province_of(const ConfigTable& t, std::string_view key, const std::string& name, const Geography& geo) {
  if (auto p = geo.find_province(name)) return *p;
  const auto hint = closest_match(name, geo.province_name);
  t.fail(key, fmt::format("unknown province '{}'{}", name, hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
}

Country country_of(const ConfigTable& t, std::string_view key, const std::string& name) {
  if (auto c = parse_country(name)) return *c;
  t.fail(key, fmt::format("unknown country '{}' (expected Afghanistan or Pakistan)", name));
}

Group read_group(const ConfigTable& t, const Geography& geo) {
  t.reject_unknown_keys({"id", "name", "home_country", "hostile_to_taliban", "active_from", "attack_propensity",
                         "lethality", "external_funding", "targets", "tactics", "footholds"});
  Group g;
  g.id = t.string("id");
  if (g.id.empty()) t.fail("id", "must not be empty");
  g.name = t.string("name");
  g.home_country = country_of(t, "home_country", t.string("home_country"));
  g.hostile_to_taliban = t.boolean("hostile_to_taliban");
  g.active_from = to_day_number(t.date("active_from"));
  g.attack_propensity = t.number_in("attack_propensity", 0, 100);
  g.lethality = t.number_in("lethality", 0.01, 100);
  g.external_funding = t.number_in("external_funding", 0, 1000);
  g.target_weights = weights(t, "targets", target_names);
  g.tactic_weights = weights(t, "tactics", tactic_names);
  for (const auto& f : t.tables("footholds")) {
    f.reject_unknown_keys({"district", "cells", "members", "note"});
    if (f.has("note")) (void)f.string("note");
    g.footholds.push_back({district_of(f, "district", f.string("district"), geo),
                           static_cast<int>(f.integer_in("cells", 1, 1000)),
                           static_cast<int>(f.integer_in("members", 1, 100000))});
  }
  return g;
}

}  // namespace

std::string_view to_string(TargetClass t) noexcept { return target_names[static_cast<std::size_t>(t)]; }
std::string_view to_string(Tactic t) noexcept { return tactic_names[static_cast<std::size_t>(t)]; }
std::string_view to_string(TieType t) noexcept { return tie_type_names[static_cast<std::size_t>(t)]; }
std::string_view to_string(TieQuality q) noexcept { return tie_quality_names[static_cast<std::size_t>(q)]; }
std::string_view to_string(PressureActor a) noexcept { return actor_names[static_cast<std::size_t>(a)]; }

int ModelConfig::find_group(std::string_view id) const noexcept {
  for (std::size_t i = 0; i < groups.size(); ++i)
    if (groups[i].id == id) return static_cast<int>(i);
  return -1;
}

ModelConfig load_model_config(const std::filesystem::path& file, const Geography& geo,
                              const std::filesystem::path& default_parameters) {
  const auto doc = ConfigDocument::parse_file(file);
  const auto root = doc->root();
  root.reject_unknown_keys({"title", "description", "run", "group", "alliance_tie", "pressure", "districts",
                            "parameters"});
  ModelConfig c;
  c.source = file.string();
  c.title = root.has("title") ? root.string("title") : file.stem().string();
  if (root.has("description")) (void)root.string("description");

  // [run]
  const auto run = root.table("run");
  run.reject_unknown_keys({"start", "end", "seed", "max_cells", "parameters"});
  c.start = to_day_number(run.date("start"));
  c.end = to_day_number(run.date("end"));
  if (c.start < to_day_number({2010, 1, 1}) || c.start > to_day_number({2035, 12, 31}))
    run.fail("start", "must lie in 2010..2035 (the calendar's tested range)");
  if (c.end < c.start) run.fail("end", fmt::format("{} is before start {}", to_iso_string(to_civil(c.end)),
                                                   to_iso_string(to_civil(c.start))));
  if (c.end > to_day_number({2035, 12, 31})) run.fail("end", "must lie in 2010..2035 (the calendar's tested range)");
  c.seed = run.unsigned_integer("seed");
  c.max_cells = run.has("max_cells") ? static_cast<std::size_t>(run.integer_in("max_cells", 1, 1 << 24)) : 8192;

  // parameters: defaults file, then overrides
  std::filesystem::path params_file = default_parameters;
  if (run.has("parameters")) params_file = file.parent_path() / run.string("parameters");
  c.parameters = read_parameters(ConfigDocument::parse_file(params_file)->root());
  if (root.has("parameters")) override_parameters(c.parameters, root.table("parameters"));

  // groups
  const auto groups = root.tables("group");
  if (groups.empty()) root.fail_here("at least one [[group]] is required");
  if (groups.size() > max_groups) root.fail("group", fmt::format("at most {} groups are supported", max_groups));
  for (const auto& t : groups) {
    auto g = read_group(t, geo);
    if (c.find_group(g.id) >= 0) t.fail("id", fmt::format("duplicate group id '{}'", g.id));
    c.groups.push_back(std::move(g));
  }
  std::vector<std::string> group_ids;
  for (const auto& g : c.groups) group_ids.push_back(g.id);
  auto group_index = [&](const ConfigTable& t, std::string_view key, const std::string& id) -> GroupIndex {
    const int g = c.find_group(id);
    if (g >= 0) return static_cast<GroupIndex>(g);
    const auto hint = closest_match(id, group_ids);
    t.fail(key, fmt::format("unknown group '{}'{}", id, hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
  };

  // alliance ties
  for (const auto& t : root.tables("alliance_tie")) {
    t.reject_unknown_keys({"groups", "type", "quality", "start", "end", "note"});
    if (t.has("note")) (void)t.string("note");
    const auto ids = t.strings("groups");
    if (ids.size() != 2) t.fail("groups", "must name exactly two groups");
    AllianceTie tie{group_index(t, "groups", ids[0]), group_index(t, "groups", ids[1]),
                    enum_of<TieType>(t, "type", tie_type_names), enum_of<TieQuality>(t, "quality", tie_quality_names),
                    to_day_number(t.date("start")), t.has("end") ? to_day_number(t.date("end")) : open_end};
    if (tie.first == tie.second) t.fail("groups", "a group cannot be tied to itself");
    if (tie.end < tie.start) t.fail("end", "is before start");
    c.ties.push_back(tie);
  }

  // pressure timeline
  for (const auto& t : root.tables("pressure")) {
    t.reject_unknown_keys({"actor", "label", "countries", "provinces", "districts", "start", "end", "level"});
    PressureEpisode e;
    e.actor = enum_of<PressureActor>(t, "actor", actor_names);
    e.label = t.has("label") ? t.string("label") : std::string(to_string(e.actor));
    std::vector<std::uint8_t> member(geo.size(), 0);
    if (t.has("countries"))
      for (const auto& name : t.strings("countries"))
        for (auto d : geo.country_districts[static_cast<std::size_t>(country_of(t, "countries", name))]) member[d] = 1;
    if (t.has("provinces"))
      for (const auto& name : t.strings("provinces"))
        for (auto d : geo.districts_of_province(province_of(t, "provinces", name, geo))) member[d] = 1;
    if (t.has("districts"))
      for (const auto& id : t.strings("districts")) member[district_of(t, "districts", id, geo)] = 1;
    for (DistrictIndex d = 0; d < geo.size(); ++d)
      if (member[d]) e.districts.push_back(d);
    if (e.districts.empty()) t.fail_here("names no districts: give countries, provinces or districts");
    e.start = to_day_number(t.date("start"));
    e.end = t.has("end") ? to_day_number(t.date("end")) : open_end;
    if (e.end < e.start) t.fail("end", "is before start");
    e.level = t.number_in("level", 0, 100);
    c.pressure.push_back(std::move(e));
  }

  // district covariates
  c.urban.assign(geo.size(), 0);
  c.taliban_presence.assign(geo.size(), 0.0);
  if (root.has("districts")) {
    const auto t = root.table("districts");
    t.reject_unknown_keys({"urban_centres", "taliban_presence", "taliban_presence_by_province"});
    if (t.has("urban_centres"))
      for (const auto& id : t.strings("urban_centres")) c.urban[district_of(t, "urban_centres", id, geo)] = 1;
    if (t.has("taliban_presence")) {
      const auto tp = t.table("taliban_presence");
      tp.reject_unknown_keys({"Afghanistan", "Pakistan"});
      for (std::size_t k = 0; k < country_count; ++k) {
        const auto name = country_name(static_cast<Country>(k));
        if (auto v = tp.optional_number_in(name, 0, 1))
          for (auto d : geo.country_districts[k]) c.taliban_presence[d] = *v;
      }
    }
    if (t.has("taliban_presence_by_province")) {
      const auto tp = t.table("taliban_presence_by_province");
      for (const auto& name : tp.keys()) {
        const double v = tp.number_in(name, 0, 1);
        for (auto d : geo.districts_of_province(province_of(tp, name, name, geo))) c.taliban_presence[d] = v;
      }
    }
  }
  return c;
}

}  // namespace iskabm
