#pragma once
// Conditions a forecast ensemble on the record up to the forecast origin (docs/scoring.md,
// "The conditioned model"). A replicate of `iskabm run` starts from the scenario's first day and
// knows nothing of the record after its calibration; a statistical baseline fitted to the
// training months carries their last level forward. To compare like with like, each replicate is
// weighted by how close its counts in the last training months come to the record's, per country,
// on the square-root scale where a count's Poisson noise has variance 1/4 (Anscombe 1948):
//   w_r ∝ exp(−Σ_c (√s_rc − √o_c)²),
// s_rc the replicate's count in country c over those months, o_c the record's. The kernel's width
// is that noise on both sides (1/4 + 1/4), not a tuning constant. This is importance weighting of
// whole trajectories (a one-step particle filter, as in the data assimilation of agent-based
// models: Ward, Evans & Malleson 2016; Kieu, Malleson & Heppenstall 2020), and it is a
// kernel-ABC rejection step on one summary (Beaumont, Zhang & Balding 2002). The weighted ensemble
// is turned back into an equal-weight sample of the same size by systematic resampling with the
// fixed offsets (k + ½) / N: no random number is drawn, so the result is reproducible and keeps a
// replicate's months together.
#include <cstddef>
#include <span>
#include <vector>

namespace iskabm {

struct ConditionedReplicates {
  std::vector<double> weights;         // per replicate, summing to 1
  std::vector<std::size_t> resampled;  // one replicate index per member of the resampled ensemble, ascending
  double effective_size = 0;           // 1 / Σ w² (Kish): how many replicates the weights are worth
};

// simulated: (replicate, country) counts, row-major, `countries` per replicate; observed: the
// record's count per country. Throws std::invalid_argument for sizes that do not match or a
// negative or non-finite count.
[[nodiscard]] ConditionedReplicates condition_on_record(std::span<const double> simulated, std::size_t countries,
                                                        std::span<const double> observed);

}  // namespace iskabm
