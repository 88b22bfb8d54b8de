#pragma once
// Scenario files (TOML) read into a ModelConfig, and a ModelConfig written back as one resolved
// TOML text. The schema: docs/scenarios.md.
#include <filesystem>
#include <string>

#include "model/geography.hpp"
#include "model/model_config.hpp"

namespace iskabm {

// Reads a model configuration (a scenario). A scenario may extend another with
// `base = "other.toml"` (relative to it), so that a what-if is a short difference: its [run],
// [districts], [output] and [parameters] keys override the base's, its [[group]],
// [[alliance_tie]], [[pressure]] and [[intervention]] entries are added, [[tie_change]] ends or
// removes ties of the base, and `pressure_remove` drops base episodes by label. The root of the
// chain reads the parameter defaults: its [run] table may name a parameters file (relative to
// it), otherwise `default_parameters`. Every problem is a DataError naming the file, line,
// column and key; unknown names are errors with suggestions. The schema: docs/scenarios.md.
[[nodiscard]] ModelConfig load_model_config(const std::filesystem::path& file, const Geography& geo,
                                            const std::filesystem::path& default_parameters);

// The configuration as one standalone TOML text (no base, every parameter value written out):
// running it gives the same results as running `c`.
[[nodiscard]] std::string resolved_toml(const ModelConfig& c, const Geography& geo);

}  // namespace iskabm
