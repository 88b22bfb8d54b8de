#pragma once
// Counter-based random streams (Philox4x64-10, Random123). A stream is addressed, never stored:
//   key     = (master seed, replicate)
//   counter = (purpose, day, entity, block)
// so the numbers a cell draws for a purpose on a day depend only on those coordinates, not on
// threads, processes, or what other cells or purposes drew. Two scenarios run with the same seed
// therefore share their random numbers wherever they agree (common random numbers).
//
// Tests may hand a stream a DrawScript that supplies its blocks of four draws instead of Philox
// (tests/support/scripted_draws.hpp), to drive a rule through a chosen sequence of draws.
// Production streams have none: the script is consulted only in refill(), once per four draws,
// behind a null pointer test, and the numbers of a stream without one are unchanged.
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
  abc_proposal = 12,        // ABC-SMC proposals, keyed (seed, generation) with entity = proposal
  posterior_draw = 13,      // which posterior particle a replicate of a posterior-driven run uses
  forecast_baseline = 14,   // `iskabm score`: Hawkes baseline simulations and district splits
  synthetic_truth = 15,     // parameter values of a synthetic truth in a coverage study (replicate = truth)
  sensitivity_design = 16,  // Morris trajectories (replicate = trajectory) and Sobol' bootstrap resamples
  history_matching = 17,    // the random shift of a history-matching wave's Sobol' design (replicate = wave)
  abc_resample = 18,        // the mcmc ABC-SMC sampler's resampling of survivors (replicate = generation)
  monte_carlo_error = 19,   // bootstrap resamples of an ensemble's replicates (seed 0, replicate = replicates)
  cell_day = 20,            // one block per cell and day: the first draws of the four purposes below (DrawScheme)
};

// How a cell's daily rules address their draws (issue 22).
//   per_purpose (the scheme of every result made before issue 22, which it reproduces): each rule
//     opens the cell's stream of its purpose for the day, one Philox call each, although most
//     rules use just one draw of it on most days (nobody is recruited, lost, moved or attacks).
//   cell_day (the default): one Philox call per cell and day, at counter (cell_day, day, uid, 0),
//     gives the first draw of each of the four purposes of cell_day_lanes, word j to lane j; a
//     rule that needs more draws continues from its own purpose's stream at block 0. Every draw
//     is still a distinct Philox output, so the draws' joint distribution is the same (independent
//     uniforms), and a rule's draws still depend only on (seed, replicate, purpose, day, cell):
//     common random numbers hold as before. Only the particular numbers differ.
enum class DrawScheme : std::uint8_t { cell_day, per_purpose };
inline constexpr std::array<Purpose, 4> cell_day_lanes{Purpose::recruitment, Purpose::attrition, Purpose::movement,
                                                       Purpose::attack};
// The word of the cell-day block that is `purpose`'s first draw, or -1 if it has none.
[[nodiscard]] constexpr int cell_day_lane(Purpose purpose) noexcept {
  for (std::size_t j = 0; j < cell_day_lanes.size(); ++j)
    if (cell_day_lanes[j] == purpose) return static_cast<int>(j);
  return -1;
}

// The address of one block of four 64-bit draws: the key and counter of a Philox call.
struct DrawAddress {
  std::uint64_t seed, replicate;
  Purpose purpose;
  std::uint64_t day, entity, block;
};

// The block of four draws that Philox gives at an address (what an unscripted stream draws).
[[nodiscard]] inline std::array<std::uint64_t, 4> philox_block(const DrawAddress& a) noexcept {
  const r123::Philox4x64::ctr_type counter{{static_cast<std::uint64_t>(a.purpose), a.day, a.entity, a.block}};
  const r123::Philox4x64::key_type key{{a.seed, a.replicate}};
  const auto r = r123::Philox4x64{}(counter, key);
  return {r.v[0], r.v[1], r.v[2], r.v[3]};
}

// Tests only: supplies the blocks of the streams it is given to, in place of Philox.
class DrawScript {
 public:
  using Block = std::array<std::uint64_t, 4>;
  virtual ~DrawScript() = default;
  [[nodiscard]] virtual Block block(const DrawAddress& at) const noexcept = 0;
};

class RandomStream {
 public:
  using result_type = std::uint64_t;

  RandomStream(std::uint64_t seed, std::uint64_t replicate, Purpose purpose, std::uint64_t day, std::uint64_t entity,
               const DrawScript* script = nullptr) noexcept
      : key_{{seed, replicate}}, counter_{{static_cast<std::uint64_t>(purpose), day, entity, 0}}, script_(script) {}

  static constexpr result_type min() noexcept { return 0; }
  static constexpr result_type max() noexcept { return UINT64_MAX; }

  result_type operator()() noexcept {
    if (next_ == 4) refill();
    return block_.v[next_++];
  }
  // The next draw is `first` (a word of the cell's cell-day block); the draws after it come from
  // this stream's own blocks, from block 0 (DrawScheme::cell_day).
  void start_with(result_type first) noexcept {
    block_.v[3] = first;
    next_ = 3;
  }
  // Uniform on [0, 1) with 53 random bits.
  double uniform() noexcept { return static_cast<double>((*this)() >> 11) * 0x1.0p-53; }
  bool bernoulli(double p) noexcept { return uniform() < p; }

 private:
  void refill() noexcept {
    if (script_ != nullptr) [[unlikely]]
      scripted_refill();
    else
      block_ = r123::Philox4x64{}(counter_, key_);
    ++counter_.v[3];
    next_ = 0;
  }
  void scripted_refill() noexcept {
    const auto b = script_->block(DrawAddress{key_.v[0], key_.v[1], static_cast<Purpose>(counter_.v[0]), counter_.v[1],
                                              counter_.v[2], counter_.v[3]});
    for (unsigned j = 0; j < 4; ++j) block_.v[j] = b[j];
  }

  r123::Philox4x64::key_type key_;
  r123::Philox4x64::ctr_type counter_;
  r123::Philox4x64::ctr_type block_{};
  const DrawScript* script_ = nullptr;  // tests only (see the top of this file)
  unsigned next_ = 4;
};

}  // namespace iskabm
