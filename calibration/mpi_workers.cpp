#include "calibration/mpi_workers.hpp"

#include <fmt/format.h>
#include <mpi.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <thread>

#include "base/errors.hpp"

namespace iskabm::mpi {

namespace {

enum Tag : int { tag_ready = 1, tag_failed = 2, tag_work = 3, tag_result = 4, tag_error = 5, tag_stop = 6 };

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }
double cpu_now() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

// A worker's error, re-raised on rank 0 with the worker's exit code.
class RemoteError : public Error {
 public:
  RemoteError(const std::string& what, int code) : Error(what), code_(code) {}
  [[nodiscard]] ExitCode exit_code() const noexcept override { return static_cast<ExitCode>(code_); }

 private:
  int code_;
};

class Writer {
 public:
  template <class T>
  void put(const T& x) {
    const auto* p = reinterpret_cast<const char*>(&x);
    bytes_.insert(bytes_.end(), p, p + sizeof(T));
  }
  void put(const std::vector<double>& v) {
    put(static_cast<std::uint64_t>(v.size()));
    const auto* p = reinterpret_cast<const char*>(v.data());
    bytes_.insert(bytes_.end(), p, p + v.size() * sizeof(double));
  }
  void put(const std::string& s) {
    put(static_cast<std::uint64_t>(s.size()));
    bytes_.insert(bytes_.end(), s.begin(), s.end());
  }
  void send(int dest, int tag) const {
    MPI_Send(bytes_.data(), static_cast<int>(bytes_.size()), MPI_BYTE, dest, tag, MPI_COMM_WORLD);
  }

 private:
  std::vector<char> bytes_;
};

class Reader {
 public:
  explicit Reader(std::vector<char> b) : bytes_(std::move(b)) {}
  template <class T>
  T get() {
    T x;
    take(&x, sizeof(T));
    return x;
  }
  std::vector<double> doubles() {
    std::vector<double> v(get<std::uint64_t>());
    take(v.data(), v.size() * sizeof(double));
    return v;
  }
  std::string string() {
    std::string s(get<std::uint64_t>(), '\0');
    take(s.data(), s.size());
    return s;
  }

 private:
  void take(void* out, std::size_t n) {
    if (pos_ + n > bytes_.size()) throw Error("MPI: truncated message");
    if (n) std::memcpy(out, bytes_.data() + pos_, n);
    pos_ += n;
  }
  std::vector<char> bytes_;
  std::size_t pos_ = 0;
};

// Polling instead of OpenMPI's blocking receive, which spins a core: sleeps between probes, from
// 10 us doubling up to 500 us, so a rank answers quickly in a busy exchange and costs ~1 % of a
// core while it waits (measured: a fixed 50 us sleep cost rank 0 15 % of a core).
constexpr auto min_pause = std::chrono::microseconds(10), max_pause = std::chrono::microseconds(500);

MPI_Status wait_for(int source, int tag) {
  MPI_Status st;
  int flag = 0;
  auto pause = min_pause;
  for (;;) {
    MPI_Iprobe(source, tag, MPI_COMM_WORLD, &flag, &st);
    if (flag) break;
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, max_pause);
  }
  return st;
}

std::vector<char> receive(const MPI_Status& st) {
  int n = 0;
  MPI_Get_count(&st, MPI_BYTE, &n);
  std::vector<char> b(static_cast<std::size_t>(n));
  MPI_Recv(b.data(), n, MPI_BYTE, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  return b;
}

}  // namespace

bool launched_by_mpi() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"})
    if (const char* e = std::getenv(v); e && *e) return true;
  return false;
}

Session::Session() {
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

Session::~Session() { MPI_Finalize(); }

Master::Master(int size, const std::atomic<bool>* stop)
    : size_(size),
      stop_(stop),
      threads_(static_cast<std::size_t>(std::max(size - 1, 0)), 0),
      busy_(threads_.size(), false) {}

Master::~Master() { shutdown(); }

void Master::start() {
  if (started_) return;
  started_ = true;
  std::string failure;
  int code = 0;
  for (int r = 1; r < size_; ++r) {
    const auto st = wait_for(r, MPI_ANY_TAG);
    Reader in(receive(st));
    if (st.MPI_TAG == tag_ready) {
      threads_[static_cast<std::size_t>(r - 1)] = std::max(1, in.get<int>());
    } else {
      const int c = in.get<int>();
      auto text = in.string();
      if (failure.empty()) failure = fmt::format("MPI rank {}: {}", r, text), code = c;
    }
  }
  if (!failure.empty()) throw RemoteError(failure, code);
}

int Master::worker_threads() const noexcept {
  int n = 0;
  for (int t : threads_) n += t;
  return n;
}

std::vector<std::vector<double>> Master::operator()(std::uint64_t generation, std::uint64_t first,
                                                    const std::vector<std::vector<double>>& thetas) {
  std::vector<std::uint64_t> proposals(thetas.size());
  for (std::size_t i = 0; i < thetas.size(); ++i) proposals[i] = first + i;
  return simulate(generation, proposals, thetas);
}

std::vector<std::vector<double>> Master::simulate(std::uint64_t generation, const std::vector<std::uint64_t>& proposals,
                                                  const std::vector<std::vector<double>>& thetas) {
  const double entered = now(), entered_cpu = cpu_now();
  if (last_return_cpu_ >= 0) timers_.outside_cpu_seconds += entered_cpu - last_return_cpu_;
  std::vector<std::vector<double>> out(thetas.size());
  std::vector<std::size_t> todo;
  for (std::size_t i = 0; i < thetas.size(); ++i)
    if (!thetas[i].empty()) todo.push_back(i);
  std::vector<std::vector<std::size_t>> assigned(threads_.size());
  std::size_t next = 0;
  std::string error;
  int error_code = 0;
  bool dropping = false;

  const auto hand_out = [&](std::size_t w) {
    if (dropping || next >= todo.size() || threads_[w] == 0) return;
    const std::size_t n = std::min(static_cast<std::size_t>(threads_[w]), todo.size() - next);
    Writer msg;
    msg.put(generation);
    msg.put(static_cast<std::uint64_t>(n));
    assigned[w].assign(todo.begin() + static_cast<std::ptrdiff_t>(next),
                       todo.begin() + static_cast<std::ptrdiff_t>(next + n));
    for (auto i : assigned[w]) {
      msg.put(proposals[i]);
      msg.put(thetas[i]);
    }
    next += n;
    msg.send(static_cast<int>(w + 1), tag_work);
    busy_[w] = true;
    ++timers_.chunks;
  };
  for (std::size_t w = 0; w < threads_.size(); ++w) hand_out(w);
  auto pause = min_pause;
  while (std::find(busy_.begin(), busy_.end(), true) != busy_.end()) {
    if (stop_ && stop_->load()) dropping = true;
    int flag = 0;
    MPI_Status st;
    MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
    if (!flag) {
      std::this_thread::sleep_for(pause);
      pause = std::min(pause * 2, max_pause);
      continue;
    }
    pause = min_pause;
    const auto w = static_cast<std::size_t>(st.MPI_SOURCE - 1);
    Reader in(receive(st));
    busy_[w] = false;
    if (st.MPI_TAG == tag_error) {
      const int c = in.get<int>();
      if (error.empty()) error = fmt::format("MPI rank {}: {}", st.MPI_SOURCE, in.string()), error_code = c;
      dropping = true;
      continue;
    }
    for (auto i : assigned[w]) out[i] = in.doubles();
    timers_.simulations += assigned[w].size();
    hand_out(w);
  }
  last_return_cpu_ = cpu_now();
  timers_.batch_wall_seconds += now() - entered;
  timers_.batch_cpu_seconds += last_return_cpu_ - entered_cpu;
  if (!error.empty()) throw RemoteError(error, error_code);
  if (next < todo.size()) return {};  // dropped after a stop request
  return out;
}

void Master::shutdown() noexcept {
  if (stopped_) return;
  stopped_ = true;
  try {
    if (!started_) {
      started_ = true;
      for (int r = 1; r < size_; ++r) {
        const auto st = wait_for(r, MPI_ANY_TAG);
        (void)receive(st);
        threads_[static_cast<std::size_t>(r - 1)] = st.MPI_TAG == tag_ready ? 1 : 0;
      }
    }
    for (std::size_t w = 0; w < threads_.size(); ++w) {
      if (busy_[w]) (void)receive(wait_for(static_cast<int>(w + 1), MPI_ANY_TAG));
      if (threads_[w] > 0) MPI_Send(nullptr, 0, MPI_BYTE, static_cast<int>(w + 1), tag_stop, MPI_COMM_WORLD);
    }
  } catch (...) {
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
}

int run_worker(const Simulator& simulate, int threads) {
  oneapi::tbb::task_arena arena(threads > 0 ? threads : oneapi::tbb::info::default_concurrency());
  {
    Writer ready;
    ready.put(arena.max_concurrency());
    ready.send(0, tag_ready);
  }
  for (;;) {
    const auto st = wait_for(0, MPI_ANY_TAG);
    Reader in(receive(st));
    if (st.MPI_TAG == tag_stop) return 0;
    const auto generation = in.get<std::uint64_t>();
    const auto n = in.get<std::uint64_t>();
    std::vector<std::uint64_t> proposal(n);
    std::vector<std::vector<double>> theta(n), stats(n);
    for (std::size_t i = 0; i < n; ++i) {
      proposal[i] = in.get<std::uint64_t>();
      theta[i] = in.doubles();
    }
    Writer reply;
    try {
      arena.execute([&] {
        oneapi::tbb::parallel_for(std::size_t{0}, static_cast<std::size_t>(n),
                                  [&](std::size_t i) { stats[i] = simulate(theta[i], generation, proposal[i]); });
      });
    } catch (const Error& e) {
      reply.put(static_cast<int>(e.exit_code()));
      reply.put(std::string(e.what()));
      reply.send(0, tag_error);
      continue;
    } catch (const std::exception& e) {
      reply.put(static_cast<int>(ExitCode::internal));
      reply.put(std::string(e.what()));
      reply.send(0, tag_error);
      continue;
    }
    for (const auto& s : stats) reply.put(s);
    reply.send(0, tag_result);
  }
}

void report_worker_failure(const std::string& message, int exit_code) {
  Writer msg;
  msg.put(exit_code);
  msg.put(message);
  msg.send(0, tag_failed);
}

}  // namespace iskabm::mpi
