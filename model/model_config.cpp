#include "model/model_config.hpp"

namespace iskabm {

std::string_view to_string(TargetClass t) noexcept { return target_class_names[static_cast<std::size_t>(t)]; }
std::string_view to_string(Tactic t) noexcept { return tactic_names[static_cast<std::size_t>(t)]; }
std::string_view to_string(TieType t) noexcept { return tie_type_names[static_cast<std::size_t>(t)]; }
std::string_view to_string(TieQuality q) noexcept { return tie_quality_names[static_cast<std::size_t>(q)]; }
std::string_view to_string(PressureActor a) noexcept { return pressure_actor_names[static_cast<std::size_t>(a)]; }
std::string_view to_string(InterventionKind k) noexcept { return intervention_kind_names[static_cast<std::size_t>(k)]; }

int ModelConfig::find_group(std::string_view id) const noexcept {
  for (std::size_t i = 0; i < groups.size(); ++i)
    if (groups[i].id == id) return static_cast<int>(i);
  return -1;
}

}  // namespace iskabm

namespace iskabm {

Mechanisms mechanisms_of_structure(std::string_view structure) {
  Mechanisms m;
  if (structure == "v1")
    for (auto f : mechanism_fields) m.*f = false;
  return m;
}

}  // namespace iskabm
