#include "ensemble/ensemble.hpp"

#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_pipeline.h>
#include <oneapi/tbb/task_arena.h>

#include <memory>

#include "model/simulation.hpp"

namespace iskabm {

EnsembleResult run_ensemble(const World& w, const EnsembleOptions& o, const ReplicatePrepare& prepare,
                            const ReplicateSink& sink) {
  const int threads = o.threads > 0 ? o.threads : oneapi::tbb::info::default_concurrency();
  oneapi::tbb::enumerable_thread_specific<State> states;  // scratch reused by each worker thread
  EnsembleResult result;
  std::uint64_t next = 0;
  oneapi::tbb::task_arena arena(threads);
  arena.execute([&] {
    oneapi::tbb::parallel_pipeline(
        static_cast<std::size_t>(2 * threads),
        oneapi::tbb::make_filter<void, std::uint64_t>(oneapi::tbb::filter_mode::serial_in_order,
                                                      [&](oneapi::tbb::flow_control& fc) -> std::uint64_t {
                                                        if (next == o.replicates || (o.stop && o.stop->load())) {
                                                          result.stopped = next < o.replicates;
                                                          fc.stop();
                                                          return 0;
                                                        }
                                                        return o.first_replicate + next++;
                                                      }) &
            oneapi::tbb::make_filter<std::uint64_t, std::shared_ptr<ReplicateOutput>>(
                oneapi::tbb::filter_mode::parallel,
                [&](std::uint64_t replicate) {
                  auto out = std::make_shared<ReplicateOutput>();
                  out->replicate = replicate;
                  const auto own = o.world_for_replicate ? o.world_for_replicate(replicate) : nullptr;
                  run_replicate(own ? *own : w, o.seed, replicate, states.local(), out->recorder);
                  if (prepare) prepare(*out);
                  return out;
                }) &
            oneapi::tbb::make_filter<std::shared_ptr<ReplicateOutput>, void>(
                oneapi::tbb::filter_mode::serial_in_order, [&](const std::shared_ptr<ReplicateOutput>& out) {
                  sink(*out);
                  result.cell_days += out->recorder.cell_days;
                  ++result.replicates_done;
                }));
  });
  return result;
}

}  // namespace iskabm
