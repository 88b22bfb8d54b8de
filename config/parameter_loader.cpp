#include "config/parameter_loader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "base/errors.hpp"
#include "config/config_table.hpp"

namespace iskabm {

namespace {

// Reads the parameters below `prefix` from `table`; records each key read in `seen`.
void read_level(const ConfigTable& table, const std::string& prefix, Parameters& out, std::set<std::string>& seen) {
  std::vector<std::string_view> allowed;
  for (const auto& s : parameter_specs()) {
    if (!s.key.starts_with(prefix)) continue;
    const auto rest = s.key.substr(prefix.size());
    const auto part = rest.substr(0, rest.find('.'));
    if (std::find(allowed.begin(), allowed.end(), part) == allowed.end()) allowed.push_back(part);
  }
  table.reject_unknown_keys(allowed);
  for (const auto& k : table.keys()) {
    const std::string full = prefix + k;
    if (const auto* s = find_parameter(full)) {
      out.*(s->field) = table.number_in(k, s->min, s->max);
      seen.insert(full);
    } else {
      read_level(table.table(k), full + ".", out, seen);
    }
  }
}

}  // namespace

Parameters read_parameters(const ConfigTable& table) {
  Parameters p{};
  std::set<std::string> seen;
  read_level(table, "", p, seen);
  for (const auto& s : parameter_specs())
    if (!seen.contains(std::string(s.key)))
      table.fail_here(fmt::format("missing parameter '{}' ({}, {})", s.key, s.unit, s.meaning));
  return p;
}

void override_parameters(Parameters& base, const ConfigTable& table) {
  std::set<std::string> seen;
  read_level(table, "", base, seen);
}

}  // namespace iskabm
