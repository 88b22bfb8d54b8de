#include "model/state.hpp"

#include "base/hash.hpp"

namespace iskabm {

namespace {
// SplitMix64 finaliser: a bijection on 64-bit integers with good avalanche.
constexpr std::uint64_t mix(std::uint64_t x) noexcept {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}
}  // namespace

std::uint64_t initial_cell_uid(std::string_view group_id, DistrictIndex d, int k) noexcept {
  return mix(mix(fnv1a(group_id) ^ d) ^ static_cast<std::uint64_t>(k));
}

std::uint64_t child_cell_uid(std::uint64_t parent, std::size_t day_index) noexcept {
  return mix(parent ^ mix(static_cast<std::uint64_t>(day_index) + 0x5851F42D4C957F2DULL));
}

}  // namespace iskabm
