#pragma once
// Counter-based random streams (Philox4x64-10, Random123). A stream is addressed, never stored:
//   key     = (master seed, replicate)
//   counter = (purpose, day, entity, block)
// so the numbers a cell draws for a purpose on a day depend only on those coordinates, not on
// threads, processes, or what other cells or purposes drew. Two scenarios run with the same seed
// therefore share their random numbers wherever they agree (common random numbers).
#include <Random123/philox.h>

#include <array>
#include <cstdint>

namespace iskabm {

// What a stream is for. Values are part of the reproducibility contract: never renumber.
enum class Purpose : std::uint64_t {
  initialisation = 1,
  recruitment = 2,
  defection = 3,
  attrition = 4,
  resources = 5,
  movement = 6,
  fission_fusion = 7,
  attack = 8,
  joint_attack = 9,
  observation = 10,
  season = 11,
  abc_proposal = 12,     // ABC-SMC proposals, keyed (seed, generation) with entity = proposal
  posterior_draw = 13,   // which posterior particle a replicate of a posterior-driven run uses
  forecast_baseline = 14,  // `iskabm score`: Hawkes baseline simulations and district splits
  synthetic_truth = 15,  // parameter values of a synthetic truth in a coverage study (replicate = truth)
};

class RandomStream {
 public:
  using result_type = std::uint64_t;

  RandomStream(std::uint64_t seed, std::uint64_t replicate, Purpose purpose, std::uint64_t day,
               std::uint64_t entity) noexcept
      : key_{{seed, replicate}}, counter_{{static_cast<std::uint64_t>(purpose), day, entity, 0}} {}

  static constexpr result_type min() noexcept { return 0; }
  static constexpr result_type max() noexcept { return UINT64_MAX; }

  result_type operator()() noexcept {
    if (next_ == 4) refill();
    return block_.v[next_++];
  }
  // Uniform on [0, 1) with 53 random bits.
  double uniform() noexcept { return static_cast<double>((*this)() >> 11) * 0x1.0p-53; }
  bool bernoulli(double p) noexcept { return uniform() < p; }

 private:
  void refill() noexcept {
    block_ = r123::Philox4x64{}(counter_, key_);
    ++counter_.v[3];
    next_ = 0;
  }

  r123::Philox4x64::key_type key_;
  r123::Philox4x64::ctr_type counter_;
  r123::Philox4x64::ctr_type block_{};
  unsigned next_ = 4;
};

}  // namespace iskabm
