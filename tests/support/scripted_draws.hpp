#pragma once
// Scripted random draws for rule tests (model/random_stream.hpp, DrawScript). A ScriptedDraws
// replaces the first draws of chosen streams — addressed by purpose and entity (a cell's uid),
// optionally on one day only — with chosen values, and serves every other draw from the real
// Philox stream at the same address, so an unscripted rule behaves exactly as in production.
//
// RandomStream::uniform() is (x >> 11) x 2^-53 of the 64-bit draw x: uniform_bits(u) is the x
// that decodes to u exactly (u on the 2^-53 grid; other values are rounded down to it). A
// Bernoulli decision `uniform() < p` is forced with u = 0 (always, for p > 0) or
// u = max_uniform (never, for p < 1), and its threshold is pinned with just_below(p) and
// just_above(p), which sit a relative 1e-9 either side of p: far closer than any change of a
// rule's formula, far wider than the rounding of the same formula evaluated in another order.
//
// The script follows the world's draw scheme (model/random_stream.hpp, DrawScheme; cell_day by
// default, as in production): a rule's first draw of a purpose comes from the cell-day block there.
//
// Boost's binomial, Poisson and normal variates consume raw 64-bit draws in their own ways;
// tests of rules that use them leave those draws unscripted and check means instead.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <tuple>
#include <vector>

#include "model/random_stream.hpp"

namespace iskabm::test {

inline constexpr double max_uniform = 1.0 - 0x1.0p-53;  // the largest value uniform() returns

// The 64-bit draw from which RandomStream::uniform() returns u (u in [0, 1); rounded down to
// the 2^-53 grid).
inline std::uint64_t uniform_bits(double u) {
  if (!(u >= 0.0 && u < 1.0)) throw std::invalid_argument("uniform_bits: u must lie in [0, 1)");
  return static_cast<std::uint64_t>(std::floor(std::ldexp(u, 53))) << 11;
}
// What uniform() returns for the draw uniform_bits(u).
inline double decoded_uniform(double u) { return static_cast<double>(uniform_bits(u) >> 11) * 0x1.0p-53; }

// A relative 1e-9 below / above p (p > 0): `uniform() < p` holds for just_below(p) and fails for
// just_above(p).
inline double just_below(double p) { return p * (1.0 - 1e-9); }
inline double just_above(double p) { return std::min(max_uniform, p * (1.0 + 1e-9)); }

class ScriptedDraws final : public DrawScript {
 public:
  static constexpr std::uint64_t any = UINT64_MAX;  // any entity / any day

  // The first uniforms drawn from stream (purpose, entity), on `day` or on every day.
  ScriptedDraws& uniforms(Purpose purpose, std::uint64_t entity, const std::vector<double>& u,
                          std::uint64_t day = any) {
    std::vector<std::uint64_t> bits;
    bits.reserve(u.size());
    for (double x : u) bits.push_back(uniform_bits(x));
    return raw(purpose, entity, std::move(bits), day);
  }
  // The first raw 64-bit draws of stream (purpose, entity), on `day` or on every day.
  ScriptedDraws& raw(Purpose purpose, std::uint64_t entity, std::vector<std::uint64_t> draws, std::uint64_t day = any) {
    scripts_[{purpose, entity, day}] = std::move(draws);
    return *this;
  }

  // The draw scheme of the world under test (its rules' streams are addressed accordingly).
  ScriptedDraws& scheme(DrawScheme s) {
    scheme_ = s;
    return *this;
  }

  // A script's draw k of stream (purpose, entity) is where the rule reads its k-th draw: under
  // DrawScheme::cell_day, draw 0 of a purpose of cell_day_lanes is its word of the cell-day
  // block and draw k >= 1 is draw k - 1 of the purpose's own stream; otherwise draw k of it.
  [[nodiscard]] Block block(const DrawAddress& a) const noexcept override {
    Block b = philox_block(a);
    bool used = false;
    if (a.purpose == Purpose::cell_day) {
      for (std::size_t j = 0; j < 4; ++j) {
        DrawAddress lane = a;
        lane.purpose = cell_day_lanes[j];
        const std::vector<std::uint64_t>* script = find(lane);
        if (script != nullptr && !script->empty()) {
          b[j] = script->front();
          used = true;
        }
      }
      scripted_blocks_ += used;
      return b;
    }
    const std::vector<std::uint64_t>* script = find(a);
    if (script == nullptr) return b;
    const std::size_t shift = scheme_ == DrawScheme::cell_day && cell_day_lane(a.purpose) >= 0 ? 1 : 0;
    for (std::size_t j = 0; j < 4; ++j) {
      const auto k = a.block * 4 + j + shift;
      if (k < script->size()) {
        b[j] = (*script)[k];
        used = true;
      }
    }
    scripted_blocks_ += used;
    return b;
  }

  // How many blocks contained scripted draws (a test checks its script was read at all).
  [[nodiscard]] std::size_t scripted_blocks() const noexcept { return scripted_blocks_; }

 private:
  using Key = std::tuple<Purpose, std::uint64_t, std::uint64_t>;  // purpose, entity, day
  const std::vector<std::uint64_t>* find(const DrawAddress& a) const noexcept {
    for (const Key& k : {Key{a.purpose, a.entity, a.day}, Key{a.purpose, a.entity, any}, Key{a.purpose, any, a.day},
                         Key{a.purpose, any, any}}) {
      const auto it = scripts_.find(k);
      if (it != scripts_.end()) return &it->second;
    }
    return nullptr;
  }
  std::map<Key, std::vector<std::uint64_t>> scripts_;
  DrawScheme scheme_ = DrawScheme::cell_day;
  mutable std::size_t scripted_blocks_ = 0;
};

}  // namespace iskabm::test
