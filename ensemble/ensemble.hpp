#pragma once
// Monte Carlo ensembles: replicates simulated in parallel with oneTBB, handed in replicate order
// to a single writer. A parallel_pipeline of
//   serial input (next replicate number) -> parallel simulation -> serial, in-order writer
// bounds memory by its token count whatever the number of replicates, and makes the output
// independent of the thread count: each replicate depends only on (World, seed, replicate).
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>

#include "model/recorder.hpp"
#include "model/world.hpp"

namespace iskabm {

struct EnsembleOptions {
  std::uint64_t seed = 0;
  std::uint64_t first_replicate = 0;
  std::uint64_t replicates = 1;
  int threads = 0;  // 0: all the cores the process may use
  // Set from a signal handler to stop early: replicates already written stay written.
  const std::atomic<bool>* stop = nullptr;
  // Optional: the World of one replicate (e.g. its parameters drawn from a posterior); must be
  // thread-safe and depend only on the replicate number. Default: every replicate uses `w`.
  std::function<std::shared_ptr<const World>(std::uint64_t replicate)> world_for_replicate;
};

// One replicate on its way through the pipeline.
struct ReplicateOutput {
  std::uint64_t replicate = 0;
  Recorder recorder;
  std::shared_ptr<void> prepared;  // whatever the prepare step made of it (e.g. compressed chunks)
};
// Runs on the simulating thread right after the replicate (parallel: must be thread-safe).
using ReplicatePrepare = std::function<void(ReplicateOutput&)>;
// Receives each replicate, in replicate order, on one thread at a time.
using ReplicateSink = std::function<void(ReplicateOutput&)>;

struct EnsembleResult {
  std::uint64_t replicates_done = 0;
  std::uint64_t cell_days = 0;
  bool stopped = false;
};

EnsembleResult run_ensemble(const World& w, const EnsembleOptions& options, const ReplicatePrepare& prepare,
                            const ReplicateSink& sink);

}  // namespace iskabm
