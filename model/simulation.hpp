#pragma once
// Running one replicate: the World (shared, immutable) and a replicate number in, a Recorder out.
#include <cstdint>

#include "model/recorder.hpp"
#include "model/state.hpp"
#include "model/world.hpp"

namespace iskabm {

// Runs replicate `replicate` of `w` with the configuration's seed (or `seed` when given).
// `scratch` is reused between calls to avoid allocation; its contents are overwritten.
void run_replicate(const World& w, std::uint64_t seed, std::uint64_t replicate, State& scratch, Recorder& out);
[[nodiscard]] Recorder run_replicate(const World& w, std::uint64_t seed, std::uint64_t replicate);

}  // namespace iskabm
