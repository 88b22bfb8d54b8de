#pragma once
// The output schema: every variable a result file holds besides its coordinates, in one table
// (name, dimensions, stored type, units, long name, where the recorder keeps it, when it is
// written). The HDF5 writer and reader, merge (through them), export, compare, the sweep summary
// and docs/output.md's variable table (`iskabm schema --markdown`, checked by a test) all follow
// it. Adding a recorded variable is one row here plus the rule that records it. The row order is
// the file's dataset order: part of the byte-identity contract, append new rows at the end of
// their role.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/recorder.hpp"

namespace iskabm {

enum class Dimension : std::uint8_t {
  replicate,
  time,
  district,
  partner,
  target_class,
  tactic,
  group,
  country,
  statistic,
  calibrated_parameter,
  event
};
[[nodiscard]] std::string_view to_string(Dimension d) noexcept;

enum class StoredType : std::uint8_t { int8, int32, int64, float64 };
[[nodiscard]] std::string_view to_string(StoredType t) noexcept;

// What a variable holds and how the writer fills it.
enum class VariableRole : std::uint8_t {
  district_month,  // [month][district] counts (a Recorder int32 array)
  breakdown,       // [month][district][class] counts; written unless [output] breakdowns = false
  group_month,     // [month][group][country] of one GroupMetric
  statistics,      // the replicate's summary statistics
  parameters,      // the replicate's calibrated parameter values; posterior-driven runs only
  event,           // one value per attack; written unless [output] events = false
};

struct OutputVariable {
  std::string name{};
  std::vector<Dimension> dimensions{};  // the first is `replicate` or `event`
  StoredType type = StoredType::int32;
  std::string units{}, long_name{};
  std::string source{};  // where the model records it (documentation)
  VariableRole role = VariableRole::district_month;
  // Whether compare and the sweep summary report it (totals over districts and partners).
  bool compared = false;
  // district_month, breakdown: the Recorder array.
  std::vector<std::int32_t> Recorder::*counts = nullptr;
  // group_month: the metric.
  GroupMetric metric = GroupMetric::members;
  // event: the field of an AttackEvent, as a double (every field fits exactly).
  double (*get)(const AttackEvent&) = nullptr;
  void (*set)(AttackEvent&, double) = nullptr;
  // event flags: the values' meanings, space separated ("" for a plain number); `{groups}` stands
  // for the scenario's group ids.
  std::string flag_meanings{};
};

// Every variable, in file order.
[[nodiscard]] std::span<const OutputVariable> output_schema();
[[nodiscard]] const OutputVariable* find_output_variable(std::string_view name) noexcept;
// The variables of one role, in file order.
[[nodiscard]] std::vector<const OutputVariable*> output_variables(VariableRole role);

// The variable table of docs/output.md (also `observed_statistics`, which a run stores once).
[[nodiscard]] std::string output_schema_markdown();

}  // namespace iskabm
