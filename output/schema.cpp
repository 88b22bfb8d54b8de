#include "output/schema.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace iskabm {

namespace {

using D = Dimension;

std::vector<OutputVariable> build() {
  std::vector<OutputVariable> v;
  const auto counts = [&](const char* name, std::vector<std::int32_t> Recorder::*field, const char* long_name,
                          const char* source, bool compared) {
    v.push_back(OutputVariable{.name = name,
                               .dimensions = {D::replicate, D::time, D::district},
                               .type = StoredType::int32,
                               .units = "1",
                               .long_name = long_name,
                               .source = source,
                               .role = VariableRole::district_month,
                               .compared = compared,
                               .counts = field});
  };
  counts("attacks", &Recorder::attacks, "attacks carried out (true count)",
         "Recorder::record_attack (rules/attacks.cpp)", true);
  counts("attacks_observed", &Recorder::attacks_observed,
         "attacks entering the notable-incident record (observed count)",
         "Recorder::record_attack, observed by rules/observation.cpp", true);
  counts("fatalities", &Recorder::fatalities, "victims killed in attacks (true)",
         "Recorder::record_attack (rules/attacks.cpp)", true);
  counts("fatalities_observed", &Recorder::fatalities_observed, "victims killed in observed attacks",
         "Recorder::record_attack, observed by rules/observation.cpp", false);
  const auto breakdown = [&](const char* name, Dimension by, std::vector<std::int32_t> Recorder::*field,
                             const char* long_name, const char* source, bool compared) {
    v.push_back(OutputVariable{.name = name,
                               .dimensions = {D::replicate, D::time, D::district, by},
                               .type = StoredType::int32,
                               .units = "1",
                               .long_name = long_name,
                               .source = source,
                               .role = VariableRole::breakdown,
                               .compared = compared,
                               .counts = field});
  };
  breakdown("joint_attacks", D::partner, &Recorder::joint_attacks, "joint attacks by partner group (true)",
            "Recorder::record_attack, partner from rules/joint_attacks.cpp", true);
  breakdown("attacks_by_target", D::target_class, &Recorder::attacks_by_target, "attacks by target class (true)",
            "Recorder::record_attack (rules/attacks.cpp)", false);
  breakdown("attacks_by_tactic", D::tactic, &Recorder::attacks_by_tactic, "attacks by tactic (true)",
            "Recorder::record_attack (rules/attacks.cpp)", false);
  for (std::size_t k = 0; k < group_metric_count; ++k) {
    const auto metric = static_cast<GroupMetric>(k);
    const bool stock = metric == GroupMetric::members || metric == GroupMetric::cells;
    v.push_back(OutputVariable{.name = fmt::format("group_{}", to_string(metric)),
                               .dimensions = {D::replicate, D::time, D::group, D::country},
                               .type = StoredType::int32,
                               .units = metric == GroupMetric::members ? "persons" : "1",
                               .long_name = fmt::format("{} by group and country ({})", to_string(metric),
                                                        stock ? "at month end" : "during the month"),
                               .source = fmt::format("Recorder::group_monthly, GroupMetric::{}", to_string(metric)),
                               .role = VariableRole::group_month,
                               .metric = metric});
  }
  v.push_back(OutputVariable{.name = "summary_statistics",
                             .dimensions = {D::replicate, D::statistic},
                             .type = StoredType::float64,
                             .units = "1",
                             .long_name = "summary statistics of the replicate's observed attacks",
                             .source = "statistics/summary_statistics.cpp",
                             .role = VariableRole::statistics});
  v.push_back(OutputVariable{.name = "parameter_values",
                             .dimensions = {D::replicate, D::calibrated_parameter},
                             .type = StoredType::float64,
                             .units = "",
                             .long_name = "the replicate's values of the calibrated parameters, each in its unit (calibrated_parameter_unit)",
                             .source = "the posterior particle the replicate drew (`posterior` attribute)",
                             .role = VariableRole::parameters});
  const auto event = [&](const char* name, StoredType type, const char* units, const char* long_name,
                         const char* source, double (*get)(const AttackEvent&), void (*set)(AttackEvent&, double),
                         std::string flags = {}) {
    v.push_back(OutputVariable{.name = name,
                               .dimensions = {D::event},
                               .type = type,
                               .units = units,
                               .long_name = long_name,
                               .source = source,
                               .role = VariableRole::event,
                               .get = get,
                               .set = set,
                               .flag_meanings = std::move(flags)});
  };
  event("event_replicate", StoredType::int64, "1", "replicate of the attack", "the replicate's number", nullptr,
        nullptr);
  event(
      "event_time", StoredType::float64, "days since 1970-01-01 00:00:00", "day of the attack", "AttackEvent::day",
      [](const AttackEvent& e) { return static_cast<double>(e.day); },
      [](AttackEvent& e, double x) { e.day = static_cast<DayNumber>(x); });
  event(
      "event_district", StoredType::int32, "1", "district of the attack (index into district)", "AttackEvent::district",
      [](const AttackEvent& e) { return static_cast<double>(e.district); },
      [](AttackEvent& e, double x) { e.district = static_cast<DistrictIndex>(x); });
  event(
      "event_fatalities", StoredType::int32, "1", "victims killed", "AttackEvent::fatalities",
      [](const AttackEvent& e) { return static_cast<double>(e.fatalities); },
      [](AttackEvent& e, double x) { e.fatalities = static_cast<std::int32_t>(x); });
  std::string targets, tactics;
  for (const auto name : target_class_names) targets.append(targets.empty() ? "" : " ").append(name);
  for (const auto name : tactic_names) tactics.append(tactics.empty() ? "" : " ").append(name);
  event(
      "event_group", StoredType::int8, "1", "group carrying out the attack", "AttackEvent::group",
      [](const AttackEvent& e) { return static_cast<double>(e.group); },
      [](AttackEvent& e, double x) { e.group = static_cast<GroupIndex>(x); }, "{groups}");
  event(
      "event_partner", StoredType::int8, "1", "joint-attack partner group",
      "AttackEvent::partner (rules/joint_attacks.cpp)",
      [](const AttackEvent& e) { return static_cast<double>(e.partner); },
      [](AttackEvent& e, double x) { e.partner = static_cast<std::int8_t>(x); }, "none {groups}");
  event(
      "event_target", StoredType::int8, "1", "target class", "AttackEvent::target",
      [](const AttackEvent& e) { return static_cast<double>(e.target); },
      [](AttackEvent& e, double x) { e.target = static_cast<TargetClass>(x); }, targets);
  event(
      "event_tactic", StoredType::int8, "1", "tactic", "AttackEvent::tactic",
      [](const AttackEvent& e) { return static_cast<double>(e.tactic); },
      [](AttackEvent& e, double x) { e.tactic = static_cast<Tactic>(x); }, tactics);
  event(
      "event_observed", StoredType::int8, "1", "attack entered the notable-incident record",
      "AttackEvent::observed (rules/observation.cpp)",
      [](const AttackEvent& e) { return static_cast<double>(e.observed); },
      [](AttackEvent& e, double x) { e.observed = static_cast<std::uint8_t>(x); }, "unobserved observed");
  event(
      "event_claimed", StoredType::int8, "1", "observed attack claimed by or named as the group",
      "AttackEvent::claimed (rules/observation.cpp)",
      [](const AttackEvent& e) { return static_cast<double>(e.claimed); },
      [](AttackEvent& e, double x) { e.claimed = static_cast<std::uint8_t>(x); }, "unclaimed claimed");
  event(
      "event_joint_claimed", StoredType::int8, "1", "observed joint attack whose claim names the partner",
      "AttackEvent::joint_claimed (rules/observation.cpp)",
      [](const AttackEvent& e) { return static_cast<double>(e.joint_claimed); },
      [](AttackEvent& e, double x) { e.joint_claimed = static_cast<std::uint8_t>(x); },
      "not_joint_claimed joint_claimed");
  return v;
}

std::string dimension_list(const std::vector<Dimension>& dims) {
  std::string s;
  for (auto d : dims) s += (s.empty() ? "" : ", ") + std::string(to_string(d));
  return s;
}

}  // namespace

std::string_view to_string(Dimension d) noexcept {
  switch (d) {
    case D::replicate: return "replicate";
    case D::time: return "time";
    case D::district: return "district";
    case D::partner: return "partner";
    case D::target_class: return "target_class";
    case D::tactic: return "tactic";
    case D::group: return "group";
    case D::country: return "country";
    case D::statistic: return "statistic";
    case D::calibrated_parameter: return "calibrated_parameter";
    case D::event: return "event";
  }
  return "?";
}

std::string_view to_string(StoredType t) noexcept {
  switch (t) {
    case StoredType::int8: return "int8";
    case StoredType::int32: return "int32";
    case StoredType::int64: return "int64";
    case StoredType::float64: return "float64";
  }
  return "?";
}

std::span<const OutputVariable> output_schema() {
  static const std::vector<OutputVariable> schema = build();
  return schema;
}

const OutputVariable* find_output_variable(std::string_view name) noexcept {
  for (const auto& v : output_schema())
    if (v.name == name) return &v;
  return nullptr;
}

std::vector<const OutputVariable*> output_variables(VariableRole role) {
  std::vector<const OutputVariable*> out;
  for (const auto& v : output_schema())
    if (v.role == role) out.push_back(&v);
  return out;
}

std::string output_schema_markdown() {
  std::string out =
      "| variable | dimensions | type | unit | meaning | written | recorded by |\n"
      "|---|---|---|---|---|---|---|\n";
  const auto when = [](VariableRole r) -> std::string_view {
    switch (r) {
      case VariableRole::breakdown: return "unless `[output] breakdowns = false`";
      case VariableRole::parameters: return "posterior-driven runs";
      case VariableRole::event: return "unless `[output] events = false`";
      default: return "always";
    }
  };
  for (const auto& v : output_schema()) {
    std::string units = v.units.empty() ? "as the parameter" : v.units;
    std::string meaning = v.long_name;
    if (!v.flag_meanings.empty()) meaning += fmt::format(" (flags: {})", v.flag_meanings);
    out += fmt::format("| `{}` | {} | {} | {} | {} | {} | {} |\n", v.name, dimension_list(v.dimensions),
                       to_string(v.type), units, meaning, when(v.role), v.source);
  }
  out +=
      "| `observed_statistics` | statistic | float64 | 1 | the summary statistics of the observed record (NaN: not "
      "recorded) | always | statistics/summary_statistics.cpp |\n";
  return out;
}

}  // namespace iskabm
