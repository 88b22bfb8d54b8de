#pragma once
// ABC-SMC across MPI ranks (built only with ISKABM_MPI): rank 0 runs the engine (population,
// proposals, acceptance, checkpoints) and hands each batch's simulations to the other ranks in
// chunks, dynamically (a worker gets the next chunk when it returns one); results are stored by
// proposal index, so the posterior is the same as a single process's for any number of ranks.
// Workers simulate their chunk with oneTBB inside the rank.
//
// The plain MPI C API is used (MPI::MPI_CXX) rather than Boost.MPI: the messages are flat byte
// buffers (a few dozen doubles), so serialisation buys nothing, and the C API lets both sides
// poll (MPI_Iprobe + a short sleep) instead of OpenMPI's busy-spinning blocking receives, which
// would take a core away from the simulations on a small machine.
//
// Protocol (all point-to-point on MPI_COMM_WORLD):
//   worker -> 0  ready   (int: the worker's thread count) or failed (the error text), once;
//   0 -> worker  work    (generation, proposal indices, thetas) ... until stop;
//   worker -> 0  result  (statistics per proposal) or error (the error text);
//   0 -> worker  stop    ends the worker loop.
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace iskabm::mpi {

// True when this process was started by an MPI launcher (mpirun / mpiexec / srun --mpi=pmix):
// only then is MPI initialised, so a directly started iskabm never touches MPI.
[[nodiscard]] bool launched_by_mpi();

// MPI_Init_thread (MPI_THREAD_FUNNELED: only the main thread calls MPI) ... MPI_Finalize.
class Session {
 public:
  Session();
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  [[nodiscard]] int rank() const noexcept { return rank_; }
  [[nodiscard]] int size() const noexcept { return size_; }

 private:
  int rank_ = 0, size_ = 1;
};

using Simulator = std::function<std::vector<double>(const std::vector<double>& theta, std::uint64_t generation,
                                                    std::uint64_t proposal)>;

// Rank 0's side. Construct it as soon as MPI is up: whatever happens later (an error, a signal),
// its destructor collects the workers' hand-shakes, drains outstanding chunks and sends every
// worker `stop`, so no rank is left waiting.
class Master {
 public:
  // Rank 0's cost: CPU time of the rank 0 process (all its threads) from the first batch to the
  // last, split into batches (handing out chunks, polling, receiving) and between batches
  // (proposals, acceptance, weights, checkpoints).
  struct Timers {
    std::uint64_t simulations = 0, chunks = 0;
    double batch_wall_seconds = 0;  // wall time inside operator() (waiting for workers included)
    double batch_cpu_seconds = 0;
    double outside_cpu_seconds = 0;
  };

  // `stop`: when it becomes true, no new chunks are handed out; the batch is dropped.
  explicit Master(int size, const std::atomic<bool>* stop = nullptr);
  ~Master();
  Master(const Master&) = delete;
  Master& operator=(const Master&) = delete;

  void set_stop(const std::atomic<bool>* stop) noexcept { stop_ = stop; }
  // Waits for every worker's hand-shake; throws the first worker's set-up error.
  void start();
  [[nodiscard]] std::size_t workers() const noexcept { return threads_.size(); }
  [[nodiscard]] int worker_threads() const noexcept;  // summed over workers

  // An AbcBatchSimulator (calibration/abc_smc.hpp): thetas[i] is proposal first + i.
  std::vector<std::vector<double>> operator()(std::uint64_t generation, std::uint64_t first,
                                              const std::vector<std::vector<double>>& thetas);
  // A RunBatchSimulator (calibration/point_ensembles.hpp): thetas[i] is proposal proposals[i].
  std::vector<std::vector<double>> simulate(std::uint64_t generation, const std::vector<std::uint64_t>& proposals,
                                            const std::vector<std::vector<double>>& thetas);
  [[nodiscard]] const Timers& timers() const noexcept { return timers_; }

 private:
  void shutdown() noexcept;
  int size_;
  const std::atomic<bool>* stop_;
  bool started_ = false, stopped_ = false;
  std::vector<int> threads_;  // per worker rank 1..size-1 (0: its set-up failed)
  std::vector<bool> busy_;    // a chunk is outstanding
  Timers timers_;
  double last_return_cpu_ = -1;
};

// A worker rank's side, after its set-up: reports ready, then simulates chunks until `stop`.
// Signals (Slurm sends them to every task) are the master's business: the worker keeps going
// until rank 0 says stop. `threads` <= 0: all cores. Returns 0.
int run_worker(const Simulator& simulate, int threads);
// A worker whose set-up failed tells rank 0 (which reports it) instead of the hand-shake.
void report_worker_failure(const std::string& message, int exit_code);

}  // namespace iskabm::mpi
