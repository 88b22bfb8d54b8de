#pragma once
// Parameter values read from TOML (parameters/defaults.toml, a scenario's [parameters]) against
// the parameter table of model/parameters.hpp.
#include "model/parameters.hpp"

namespace iskabm {

class ConfigTable;

// Reads every parameter from `table` (the whole defaults file): missing, unknown, mistyped or
// out-of-range keys are DataErrors naming file, line, column and key.
[[nodiscard]] Parameters read_parameters(const ConfigTable& table);
// Overrides some parameters of `base` from `table` (e.g. a configuration's [parameters]).
void override_parameters(Parameters& base, const ConfigTable& table);

}  // namespace iskabm
