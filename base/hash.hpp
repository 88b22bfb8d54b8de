#pragma once
// The project's one non-cryptographic hash: 64-bit FNV-1a. Stable across platforms and versions
// (it names calibrations in posterior files, checks journal records and gives groups a stable
// stream offset), so its constants and byte order are part of the reproducibility contract.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace iskabm {

inline constexpr std::uint64_t fnv1a_offset = 0xCBF29CE484222325ULL;
inline constexpr std::uint64_t fnv1a_prime = 0x100000001B3ULL;

// FNV-1a of n bytes, continuing from `h` (fnv1a_offset for a fresh hash).
[[nodiscard]] constexpr std::uint64_t fnv1a(const unsigned char* p, std::size_t n,
                                            std::uint64_t h = fnv1a_offset) noexcept {
  for (std::size_t i = 0; i < n; ++i) h = (h ^ p[i]) * fnv1a_prime;
  return h;
}

[[nodiscard]] constexpr std::uint64_t fnv1a(std::string_view s, std::uint64_t h = fnv1a_offset) noexcept {
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * fnv1a_prime;
  return h;
}

}  // namespace iskabm
