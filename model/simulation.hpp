#pragma once
// Running one replicate: the World (shared, immutable) and a replicate number in, a Recorder out.
#include <cstdint>

#include "model/recorder.hpp"
#include "model/state.hpp"
#include "model/world.hpp"

namespace iskabm {

namespace rules {
struct Day;
}

// The stages of a simulated day, in schedule order.
enum class Stage : std::uint8_t { indexed, recruited, attrited, resourced, attacked, split_and_merged, moved, day_end };

// Sees the state after every stage of every day (tests, diagnostics). Never changes it.
class ScheduleObserver {
 public:
  virtual ~ScheduleObserver() = default;
  virtual void after(Stage stage, const rules::Day& day, const State& state, const Recorder& recorder) = 0;
};

// Runs replicate `replicate` of `w` with the configuration's seed (or `seed` when given).
// `scratch` is reused between calls to avoid allocation; its contents are overwritten.
void run_replicate(const World& w, std::uint64_t seed, std::uint64_t replicate, State& scratch, Recorder& out,
                   ScheduleObserver* observer = nullptr);
[[nodiscard]] Recorder run_replicate(const World& w, std::uint64_t seed, std::uint64_t replicate);

}  // namespace iskabm
