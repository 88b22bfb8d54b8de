// Reading scenario TOML into a ModelConfig (with base inheritance), and writing the resolved text.
#include "config/scenario_loader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "base/errors.hpp"
#include "config/config_table.hpp"
#include "config/parameter_loader.hpp"

namespace iskabm {

namespace {
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
  t.fail(key,
         fmt::format("unknown district id '{}'{}", id, hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
}

ProvinceIndex province_of(const ConfigTable& t, std::string_view key, const std::string& name, const Geography& geo) {
  if (auto p = geo.find_province(name)) return *p;
  const auto hint = closest_match(name, geo.province_name);
  t.fail(key,
         fmt::format("unknown province '{}'{}", name, hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
}

Country country_of(const ConfigTable& t, std::string_view key, const std::string& name) {
  if (auto c = parse_country(name)) return *c;
  t.fail(key, fmt::format("unknown country '{}' (expected Afghanistan or Pakistan)", name));
}

Group read_group(const ConfigTable& t, const Geography& geo) {
  t.reject_unknown_keys({"id", "name", "home_country", "hostile_to_taliban", "active_from", "attack_propensity",
                         "lethality", "external_funding", "strength_ceiling", "targets", "tactics", "footholds",
                         "record_names"});
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
  if (t.has("strength_ceiling")) g.strength_ceiling = t.number_in("strength_ceiling", 1, 1e6);
  g.target_weights = weights(t, "targets", target_class_names);
  g.tactic_weights = weights(t, "tactics", tactic_names);
  if (t.has("record_names")) g.record_names = t.strings("record_names");
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

namespace {

Area read_area(const ConfigTable& t, const Geography& geo) {
  Area a;
  std::vector<std::uint8_t> member(geo.size(), 0);
  if (t.has("countries"))
    for (const auto& name : t.strings("countries")) {
      for (auto d : geo.country_districts[static_cast<std::size_t>(country_of(t, "countries", name))]) member[d] = 1;
      a.countries.push_back(name);
    }
  if (t.has("provinces"))
    for (const auto& name : t.strings("provinces")) {
      for (auto d : geo.districts_of_province(province_of(t, "provinces", name, geo))) member[d] = 1;
      a.provinces.push_back(name);
    }
  if (t.has("districts"))
    for (const auto& id : t.strings("districts")) {
      member[district_of(t, "districts", id, geo)] = 1;
      a.districts.push_back(id);
    }
  for (DistrictIndex d = 0; d < geo.size(); ++d)
    if (member[d]) a.members.push_back(d);
  if (a.members.empty()) t.fail_here("names no districts: give countries, provinces or districts");
  return a;
}

// `key` (pressure_remove, intervention_remove): removes from `items` every one with each label the
// list names (all so labelled), before the file's own are added; an unknown label is an error at
// the key, with the closest label as a hint.
template <typename Item>
void remove_labelled(const ConfigTable& root, std::string_view key, std::vector<Item>& items, std::string_view what) {
  if (!root.has(key)) return;
  for (const auto& label : root.strings(key)) {
    const auto before = items.size();
    std::erase_if(items, [&](const Item& x) { return x.label == label; });
    if (items.size() != before) continue;
    std::vector<std::string> labels;
    for (const auto& x : items) labels.push_back(x.label);
    const auto hint = closest_match(label, labels);
    root.fail(key, fmt::format("no {} labelled '{}'{}", what, label,
                               hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
  }
}

std::pair<DayNumber, DayNumber> read_window(const ConfigTable& t, bool end_required = false) {
  const auto start = to_day_number(t.date("start"));
  const auto end = t.has("end") || end_required ? to_day_number(t.date("end")) : open_end;
  if (end < start)
    t.fail("end", fmt::format("{} is before start {}", to_iso_string(to_civil(end)), to_iso_string(to_civil(start))));
  return {start, end};
}

class Loader {
 public:
  Loader(const Geography& geo, std::filesystem::path default_parameters)
      : geo_(geo), default_parameters_(std::move(default_parameters)) {}

  void load(const std::filesystem::path& file, ModelConfig& c, int depth) {
    const auto doc = ConfigDocument::parse_file(file);
    const auto root = doc->root();
    root.reject_unknown_keys({"title", "description", "base", "run", "group", "alliance_tie", "tie_change", "pressure",
                              "pressure_remove", "intervention", "intervention_remove", "districts", "output",
                              "parameters", "model"});
    const bool derived = root.has("base");
    if (derived) {
      if (depth >= 8) root.fail("base", "scenarios extend each other more than 8 deep (a cycle?)");
      const auto base = file.parent_path() / root.string("base");
      std::error_code ec;
      if (!std::filesystem::exists(base, ec))
        root.fail("base", fmt::format("base scenario not found: {}", base.string()));
      if (!std::filesystem::is_regular_file(base, ec))
        root.fail("base", fmt::format("{} is not a regular file (a scenario is a TOML file)", base.string()));
      load(base, c, depth + 1);
    } else {
      c.urban.assign(geo_.size(), 0);
      c.taliban_presence.assign(geo_.size(), 0.0);
    }
    c.source = file.string();
    c.chain.push_back(file.string());
    if (root.has("title"))
      c.title = root.string("title");
    else if (!derived)
      c.title = file.stem().string();
    if (root.has("description"))
      c.description = root.string("description");
    else if (derived)
      c.description.clear();  // a what-if's description is its own, never its base's

    read_run(root, file, c, derived);
    if (root.has("model")) read_mechanisms(root.table("model"), c);
    if (root.has("parameters")) override_parameters(c.parameters, root.table("parameters"));
    read_groups(root, c);
    read_ties(root, c);
    read_pressure(root, c);
    remove_labelled(root, "intervention_remove", c.interventions, "intervention");
    for (const auto& t : root.tables("intervention")) c.interventions.push_back(read_intervention(t, c));
    if (root.has("districts")) read_districts(root.table("districts"), c);
    if (root.has("output")) {
      const auto t = root.table("output");
      t.reject_unknown_keys({"events", "breakdowns"});
      if (t.has("events")) c.output.events = t.boolean("events");
      if (t.has("breakdowns")) c.output.breakdowns = t.boolean("breakdowns");
    }
    if (c.groups.empty()) root.fail_here("at least one [[group]] is required");
  }

 private:
  void read_run(const ConfigTable& root, const std::filesystem::path& file, ModelConfig& c, bool derived) {
    if (!root.has("run")) {
      if (!derived) root.fail_here("missing required table [run] (start, end, seed)");
      return;
    }
    const auto run = root.table("run");
    run.reject_unknown_keys({"start", "end", "seed", "replicates", "max_cells", "draws", "parameters", "posterior"});
    if (!derived || run.has("start")) c.start = to_day_number(run.date("start"));
    if (!derived || run.has("end")) c.end = to_day_number(run.date("end"));
    const auto lo = to_day_number({2010, 1, 1}), hi = to_day_number({2035, 12, 31});
    if (c.start < lo || c.start > hi) run.fail("start", "must lie in 2010..2035 (the calendar's tested range)");
    if (c.end > hi) run.fail("end", "must lie in 2010..2035 (the calendar's tested range)");
    if (c.end < c.start)
      run.fail(run.has("end") ? "end" : "start",
               fmt::format("{} is before start {}", to_iso_string(to_civil(c.end)), to_iso_string(to_civil(c.start))));
    if (!derived || run.has("seed")) c.seed = run.unsigned_integer("seed");
    if (run.has("posterior")) {
      // Resolved here, read by `iskabm run` (a missing file is its error: `calibrate`, `check` and
      // `run --no-posterior` do not need it, and `calibrate` is how it is made).
      c.posterior = run.string("posterior").empty() ? std::filesystem::path()
                                                    : (file.parent_path() / run.string("posterior")).lexically_normal();
    }
    if (run.has("draws")) {
      const auto draws = run.string("draws");
      if (draws == "cell_day")
        c.draws = DrawScheme::cell_day;
      else if (draws == "per_purpose")
        c.draws = DrawScheme::per_purpose;
      else
        run.fail("draws", fmt::format("unknown draw scheme '{}' (expected \"cell_day\", the default, or "
                                      "\"per_purpose\", which reproduces results made before issue 22)",
                                      draws));
    }
    if (run.has("replicates")) c.replicates = static_cast<std::uint64_t>(run.integer_in("replicates", 1, 10000000));
    if (run.has("max_cells"))
      c.max_cells = static_cast<std::size_t>(run.integer_in("max_cells", 1, 1 << 24));
    else if (!derived)
      c.max_cells = 8192;
    if (derived && run.has("parameters"))
      run.fail("parameters", "the parameters file can only be set in the scenario at the root of a base chain");
    if (!derived) {
      const auto params = run.has("parameters") ? file.parent_path() / run.string("parameters") : default_parameters_;
      std::error_code ec;
      if (run.has("parameters") && !std::filesystem::is_regular_file(params, ec))
        run.fail("parameters", fmt::format("{} is not a regular file (a parameters file is TOML)", params.string()));
      c.parameters = read_parameters(ConfigDocument::parse_file(params)->root());
    }
  }

  // [model]: `structure = "v1" | "v2"` sets every mechanism; a mechanism's own key overrides it.
  static void read_mechanisms(const ConfigTable& t, ModelConfig& c) {
    std::vector<std::string_view> allowed{"structure"};
    allowed.insert(allowed.end(), mechanism_names.begin(), mechanism_names.end());
    t.reject_unknown_keys(allowed);
    if (t.has("structure")) {
      const auto structure = t.string("structure");
      if (structure != "v1" && structure != "v2")
        t.fail("structure", fmt::format("unknown model structure '{}' (expected \"v1\" or \"v2\")", structure));
      c.mechanisms = mechanisms_of_structure(structure);
    }
    for (std::size_t k = 0; k < mechanism_count; ++k)
      if (t.has(mechanism_names[k])) c.mechanisms.*mechanism_fields[k] = t.boolean(mechanism_names[k]);
  }

  void read_groups(const ConfigTable& root, ModelConfig& c) {
    const auto groups = root.tables("group");
    for (const auto& t : groups) {
      auto g = read_group(t, geo_);
      if (c.find_group(g.id) >= 0) t.fail("id", fmt::format("duplicate group id '{}'", g.id));
      if (c.groups.size() == max_groups) t.fail_here(fmt::format("at most {} groups are supported", max_groups));
      c.groups.push_back(std::move(g));
    }
  }

  GroupIndex group_index(const ModelConfig& c, const ConfigTable& t, std::string_view key, const std::string& id) {
    const int g = c.find_group(id);
    if (g >= 0) return static_cast<GroupIndex>(g);
    std::vector<std::string> ids;
    for (const auto& x : c.groups) ids.push_back(x.id);
    const auto hint = closest_match(id, ids);
    t.fail(key,
           fmt::format("unknown group '{}'{}", id, hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
  }

  std::pair<GroupIndex, GroupIndex> group_pair(const ModelConfig& c, const ConfigTable& t) {
    const auto ids = t.strings("groups");
    if (ids.size() != 2) t.fail("groups", "must name exactly two groups");
    const auto a = group_index(c, t, "groups", ids[0]), b = group_index(c, t, "groups", ids[1]);
    if (a == b) t.fail("groups", "a group cannot be tied to itself");
    return {a, b};
  }

  void read_ties(const ConfigTable& root, ModelConfig& c) {
    for (const auto& t : root.tables("alliance_tie")) {
      t.reject_unknown_keys({"groups", "type", "quality", "start", "end", "note"});
      if (t.has("note")) (void)t.string("note");
      const auto [a, b] = group_pair(c, t);
      const auto [start, end] = read_window(t);
      c.ties.push_back({a, b, enum_of<TieType>(t, "type", tie_type_names),
                        enum_of<TieQuality>(t, "quality", tie_quality_names), start, end});
    }
    for (const auto& t : root.tables("tie_change")) {
      t.reject_unknown_keys({"groups", "types", "end", "remove", "note"});
      if (t.has("note")) (void)t.string("note");
      const auto [a, b] = group_pair(c, t);
      std::vector<TieType> types;
      if (t.has("types")) {
        const std::vector<std::string_view> names(tie_type_names.begin(), tie_type_names.end());
        for (const auto& name : t.strings("types")) {
          const auto it = std::find(names.begin(), names.end(), name);
          if (it == names.end())
            t.fail("types",
                   fmt::format("unknown tie type '{}'; expected one of: ideological, logistical, operational", name));
          types.push_back(static_cast<TieType>(it - names.begin()));
        }
      }
      const bool remove = t.has("remove") && t.boolean("remove");
      if (remove == t.has("end")) t.fail_here("give either end = <date> (the ties end that day) or remove = true");
      const DayNumber end = remove ? 0 : to_day_number(t.date("end"));
      std::size_t matched = 0;
      for (auto it = c.ties.begin(); it != c.ties.end();) {
        const bool pair = (it->first == a && it->second == b) || (it->first == b && it->second == a);
        const bool type = types.empty() || std::find(types.begin(), types.end(), it->type) != types.end();
        if (pair && type) {
          ++matched;
          if (remove || end - 1 < it->start) {  // ended before it began: the tie never exists
            it = c.ties.erase(it);
            continue;
          }
          it->end = std::min(it->end, end - 1);
        }
        ++it;
      }
      if (matched == 0)
        t.fail("groups", fmt::format("no alliance tie between {} and {}{} to change", c.groups[a].id, c.groups[b].id,
                                     types.empty() ? "" : " of the given types"));
    }
  }

  void read_pressure(const ConfigTable& root, ModelConfig& c) {
    remove_labelled(root, "pressure_remove", c.pressure, "pressure episode");
    for (const auto& t : root.tables("pressure")) {
      t.reject_unknown_keys({"actor", "label", "countries", "provinces", "districts", "start", "end", "level"});
      PressureEpisode e;
      e.actor = enum_of<PressureActor>(t, "actor", pressure_actor_names);
      e.label = t.has("label") ? t.string("label") : std::string(to_string(e.actor));
      e.area = read_area(t, geo_);
      std::tie(e.start, e.end) = read_window(t);
      e.level = t.number_in("level", 0, 100);
      c.pressure.push_back(std::move(e));
    }
  }

  Intervention read_intervention(const ConfigTable& t, const ModelConfig& c) {
    Intervention v;
    v.kind = enum_of<InterventionKind>(t, "kind", intervention_kind_names);
    std::vector<std::string_view> allowed{"kind", "label", "start", "end", "note"};
    switch (v.kind) {
      case InterventionKind::pressure_multiplier:
        allowed.insert(allowed.end(), {"actor", "countries", "provinces", "districts", "multiplier"});
        break;
      case InterventionKind::border: allowed.insert(allowed.end(), {"multiplier"}); break;
      case InterventionKind::funding:
      case InterventionKind::recruitment: allowed.insert(allowed.end(), {"groups", "multiplier"}); break;
      case InterventionKind::taliban_presence:
        allowed.insert(allowed.end(), {"countries", "provinces", "districts", "level"});
        break;
      case InterventionKind::reinforcement:
        allowed.insert(allowed.end(), {"groups", "countries", "provinces", "districts", "cells", "members"});
        break;
      case InterventionKind::losses:
        allowed.insert(allowed.end(), {"groups", "countries", "provinces", "districts", "fraction", "as"});
        break;
      case InterventionKind::decapitation: allowed.insert(allowed.end(), {"groups", "fraction"}); break;
      case InterventionKind::reporting:
      case InterventionKind::network:
        allowed.insert(allowed.end(), {"countries", "provinces", "districts", "multiplier"});
        break;
    }
    if (acts_once(v.kind)) std::erase(allowed, std::string_view("end"));  // they act on their start day only
    t.reject_unknown_keys(allowed);
    if (t.has("note")) (void)t.string("note");
    v.label = t.has("label") ? t.string("label") : std::string(to_string(v.kind));
    std::tie(v.start, v.end) = read_window(t);
    switch (v.kind) {
      case InterventionKind::pressure_multiplier:
        v.actor = enum_of<PressureActor>(t, "actor", pressure_actor_names);
        v.area = read_area(t, geo_);
        v.value = t.number_in("multiplier", 0, 100);
        break;
      case InterventionKind::border: v.value = t.number_in("multiplier", 0, 100); break;
      case InterventionKind::funding:
      case InterventionKind::recruitment:
        if (t.has("groups"))
          for (const auto& id : t.strings("groups")) v.groups.push_back(group_index(c, t, "groups", id));
        v.value = t.number_in("multiplier", 0, 100);
        break;
      case InterventionKind::taliban_presence:
        v.area = read_area(t, geo_);
        v.value = t.number_in("level", 0, 1);
        break;
      case InterventionKind::reinforcement: {
        const auto ids = t.strings("groups");
        if (ids.size() != 1) t.fail("groups", "a reinforcement names exactly one group");
        v.groups.push_back(group_index(c, t, "groups", ids[0]));
        v.area = read_area(t, geo_);
        v.cells = static_cast<int>(t.integer_in("cells", 1, 1000));
        v.members = static_cast<int>(t.integer_in("members", 1, 100000));
        break;
      }
      case InterventionKind::losses:
      case InterventionKind::decapitation:
        for (const auto& id : t.strings("groups")) v.groups.push_back(group_index(c, t, "groups", id));
        if (v.groups.empty()) t.fail("groups", "names no group");
        if (v.kind == InterventionKind::losses) {
          v.area = read_area(t, geo_);
          if (t.has("as")) v.loss = enum_of<LossKind>(t, "as", loss_kind_names);
        }
        v.value = t.number_in("fraction", 0, 1);
        break;
      case InterventionKind::reporting:
      case InterventionKind::network:
        v.area = read_area(t, geo_);
        v.value = t.number_in("multiplier", 0, 100);
        break;
    }
    return v;
  }

  void read_districts(const ConfigTable& t, ModelConfig& c) {
    t.reject_unknown_keys(
        {"urban_centres", "taliban_presence", "taliban_presence_by_province", "taliban_presence_by_district"});
    if (t.has("urban_centres")) {
      std::fill(c.urban.begin(), c.urban.end(), 0);
      for (const auto& id : t.strings("urban_centres")) c.urban[district_of(t, "urban_centres", id, geo_)] = 1;
    }
    if (t.has("taliban_presence")) {
      const auto tp = t.table("taliban_presence");
      tp.reject_unknown_keys({"Afghanistan", "Pakistan"});
      for (std::size_t k = 0; k < country_count; ++k) {
        const auto name = country_name(static_cast<Country>(k));
        if (auto v = tp.optional_number_in(name, 0, 1))
          for (auto d : geo_.country_districts[k]) c.taliban_presence[d] = *v;
      }
    }
    if (t.has("taliban_presence_by_province")) {
      const auto tp = t.table("taliban_presence_by_province");
      for (const auto& name : tp.keys()) {
        const double v = tp.number_in(name, 0, 1);
        for (auto d : geo_.districts_of_province(province_of(tp, name, name, geo_))) c.taliban_presence[d] = v;
      }
    }
    if (t.has("taliban_presence_by_district")) {
      const auto tp = t.table("taliban_presence_by_district");
      for (const auto& id : tp.keys()) c.taliban_presence[district_of(tp, id, id, geo_)] = tp.number_in(id, 0, 1);
    }
  }

  const Geography& geo_;
  std::filesystem::path default_parameters_;
};

// TOML text helpers for the resolved configuration.
std::string quote(std::string_view s) {
  std::string out = "\"";
  for (char ch : s) {
    switch (ch) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default: out += ch;
    }
  }
  return out + "\"";
}
std::string date(DayNumber d) { return to_iso_string(to_civil(d)); }
std::string string_list(const std::vector<std::string>& v) {
  std::string out = "[";
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + quote(v[i]);
  return out + "]";
}
std::string area_toml(const Area& a) {
  std::string out;
  if (!a.countries.empty()) out += "countries = " + string_list(a.countries) + "\n";
  if (!a.provinces.empty()) out += "provinces = " + string_list(a.provinces) + "\n";
  if (!a.districts.empty()) out += "districts = " + string_list(a.districts) + "\n";
  return out;
}
std::string window_toml(DayNumber start, DayNumber end) {
  return "start = " + date(start) + "\n" + (end == open_end ? std::string() : "end = " + date(end) + "\n");
}
std::string group_list(const ModelConfig& c, const std::vector<GroupIndex>& gs) {
  std::vector<std::string> ids;
  for (auto g : gs) ids.push_back(c.groups[g].id);
  return string_list(ids);
}

}  // namespace

ModelConfig load_model_config(const std::filesystem::path& file, const Geography& geo,
                              const std::filesystem::path& default_parameters) {
  ModelConfig c;
  Loader(geo, default_parameters).load(file, c, 0);
  return c;
}

std::string resolved_toml(const ModelConfig& c, const Geography& geo) {
  std::string out = "# Resolved by iskabm from: " + [&] {
    std::string chain;
    for (const auto& f : c.chain) chain += (chain.empty() ? "" : " <- ") + std::filesystem::path(f).filename().string();
    return chain;
  }() + "\n";
  out += "title = " + quote(c.title) + "\n";
  if (!c.description.empty()) out += "description = " + quote(c.description) + "\n";
  out += fmt::format("\n[run]\nstart = {}\nend = {}\nseed = {}\nreplicates = {}\nmax_cells = {}\n", date(c.start),
                     date(c.end), c.seed, c.replicates, c.max_cells);
  // Always named (issue 22): the draws decide the bytes, so a calibration's fingerprint, a resumed
  // run's journal and a merge's check all see which scheme made a file.
  out += c.draws == DrawScheme::per_purpose ? "draws = \"per_purpose\"\n" : "draws = \"cell_day\"\n";
  out += "\n[model]\n";
  for (std::size_t k = 0; k < mechanism_count; ++k)
    out += fmt::format("{} = {}\n", mechanism_names[k], c.mechanisms.*mechanism_fields[k]);
  for (const auto& g : c.groups) {
    out += fmt::format(
        "\n[[group]]\nid = {}\nname = {}\nhome_country = {}\nhostile_to_taliban = {}\nactive_from = {}\n", quote(g.id),
        quote(g.name), quote(country_name(g.home_country)), g.hostile_to_taliban, date(g.active_from));
    out += fmt::format("attack_propensity = {}\nlethality = {}\nexternal_funding = {}\n", g.attack_propensity,
                       g.lethality, g.external_funding);
    if (g.strength_ceiling > 0) out += fmt::format("strength_ceiling = {}\n", g.strength_ceiling);
    if (!g.record_names.empty()) out += "record_names = " + string_list(g.record_names) + "\n";
    out += "targets = {";
    for (std::size_t k = 0; k < target_class_count; ++k)
      out += fmt::format("{} {} = {}", k ? "," : "", target_class_names[k], g.target_weights[k]);
    out += " }\ntactics = {";
    for (std::size_t k = 0; k < tactic_count; ++k)
      out += fmt::format("{} {} = {}", k ? "," : "", tactic_names[k], g.tactic_weights[k]);
    out += " }\nfootholds = [\n";
    for (const auto& f : g.footholds)
      out += fmt::format("  {{ district = {}, cells = {}, members = {} }},\n", quote(geo.district_id[f.district]),
                         f.cells, f.members);
    out += "]\n";
  }
  for (const auto& t : c.ties)
    out += fmt::format("\n[[alliance_tie]]\ngroups = [{}, {}]\ntype = {}\nquality = {}\n{}",
                       quote(c.groups[t.first].id), quote(c.groups[t.second].id), quote(to_string(t.type)),
                       quote(to_string(t.quality)), window_toml(t.start, t.end));
  for (const auto& e : c.pressure)
    out += fmt::format("\n[[pressure]]\nactor = {}\nlabel = {}\n{}{}level = {}\n", quote(to_string(e.actor)),
                       quote(e.label), area_toml(e.area), window_toml(e.start, e.end), e.level);
  for (const auto& v : c.interventions) {
    out += fmt::format("\n[[intervention]]\nkind = {}\nlabel = {}\n{}", quote(to_string(v.kind)), quote(v.label),
                       window_toml(v.start, v.end));
    switch (v.kind) {
      case InterventionKind::pressure_multiplier:
        out += fmt::format("actor = {}\n{}multiplier = {}\n", quote(to_string(v.actor)), area_toml(v.area), v.value);
        break;
      case InterventionKind::border: out += fmt::format("multiplier = {}\n", v.value); break;
      case InterventionKind::funding:
      case InterventionKind::recruitment:
        if (!v.groups.empty()) out += "groups = " + group_list(c, v.groups) + "\n";
        out += fmt::format("multiplier = {}\n", v.value);
        break;
      case InterventionKind::taliban_presence: out += fmt::format("{}level = {}\n", area_toml(v.area), v.value); break;
      case InterventionKind::reinforcement:
        out += fmt::format("groups = {}\n{}cells = {}\nmembers = {}\n", group_list(c, v.groups), area_toml(v.area),
                           v.cells, v.members);
        break;
      case InterventionKind::losses:
        out += fmt::format("groups = {}\n{}fraction = {}\nas = {}\n", group_list(c, v.groups), area_toml(v.area),
                           v.value, quote(loss_kind_names[static_cast<std::size_t>(v.loss)]));
        break;
      case InterventionKind::decapitation:
        out += fmt::format("groups = {}\nfraction = {}\n", group_list(c, v.groups), v.value);
        break;
      case InterventionKind::reporting:
      case InterventionKind::network: out += fmt::format("{}multiplier = {}\n", area_toml(v.area), v.value); break;
    }
  }
  std::vector<std::string> urban;
  for (DistrictIndex d = 0; d < geo.size(); ++d)
    if (c.urban[d]) urban.push_back(geo.district_id[d]);
  out += "\n[districts]\nurban_centres = " + string_list(urban) + "\n\n[districts.taliban_presence_by_district]\n";
  for (DistrictIndex d = 0; d < geo.size(); ++d)
    if (c.taliban_presence[d] != 0.0) out += fmt::format("{} = {}\n", quote(geo.district_id[d]), c.taliban_presence[d]);
  out +=
      fmt::format("\n[output]\nevents = {}\nbreakdowns = {}\n\n[parameters]\n", c.output.events, c.output.breakdowns);
  for (const auto& s : parameter_specs()) out += fmt::format("{} = {}\n", s.key, c.parameters.*(s.field));
  return out;
}

}  // namespace iskabm
