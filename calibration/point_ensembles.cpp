#include "calibration/point_ensembles.hpp"

#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "base/errors.hpp"

namespace iskabm {

namespace {
// Welford's running mean and sum of squares per statistic, over the replicates that define it.
struct Accumulator {
  std::vector<double> mean, ss;
  std::vector<std::uint32_t> count;
  void add(const std::vector<double>& s) {
    if (mean.empty()) mean.assign(s.size(), 0.0), ss.assign(s.size(), 0.0), count.assign(s.size(), 0);
    if (s.size() != mean.size()) throw Error("the simulator returned a varying number of statistics");
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (!std::isfinite(s[i])) continue;
      const double delta = s[i] - mean[i];
      mean[i] += delta / static_cast<double>(++count[i]);
      ss[i] += delta * (s[i] - mean[i]);
    }
  }
  PointEnsemble finish() {
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    PointEnsemble e;
    e.mean = std::move(mean);
    e.variance.assign(e.mean.size(), nan);
    for (std::size_t i = 0; i < e.mean.size(); ++i) {
      if (count[i] == 0) e.mean[i] = nan;
      if (count[i] >= 2) e.variance[i] = ss[i] / static_cast<double>(count[i] - 1);
    }
    e.defined = std::move(count);
    return e;
  }
};
}  // namespace

std::vector<PointEnsemble> simulate_point_ensembles(const std::vector<std::vector<double>>& points,
                                                    const PointEnsembleOptions& o, const AbcSimulator& simulate,
                                                    const std::function<void(std::size_t, std::size_t)>& on_progress,
                                                    const std::atomic<bool>* stop,
                                                    const std::function<void(std::size_t, const std::vector<PointEnsemble>&)>& on_batch) {
  if (o.replicates == 0) throw Error("at least one replicate per point is needed");
  const auto n = points.size();
  std::vector<PointEnsemble> out(n);
  const int threads = o.threads > 0 ? o.threads : oneapi::tbb::info::default_concurrency();
  oneapi::tbb::task_arena arena(threads);
  const std::size_t batch =
      o.batch_points > 0 ? o.batch_points : std::max<std::size_t>(std::size_t{4} * static_cast<std::size_t>(threads), 16);
  const auto proposal = [&](std::size_t j, std::size_t m) -> std::uint64_t {
    return o.common_random_numbers ? m : (o.first_index + j) * o.replicates + m;
  };
  for (std::size_t first = 0; first < n; first += batch) {
    if (stop && stop->load()) {
      out.resize(first);
      return out;
    }
    const auto last = std::min(n, first + batch);
    if (o.batch) {
      std::vector<std::uint64_t> proposals;
      std::vector<std::vector<double>> thetas;
      for (std::size_t j = first; j < last; ++j)
        for (std::size_t m = 0; m < o.replicates; ++m) proposals.push_back(proposal(j, m)), thetas.push_back(points[j]);
      const auto rows = o.batch(o.generation, proposals, thetas);
      if (rows.size() < thetas.size()) {
        out.resize(first);
        return out;
      }
      for (std::size_t j = first, r = 0; j < last; ++j) {
        Accumulator acc;
        for (std::size_t m = 0; m < o.replicates; ++m) acc.add(rows[r++]);
        out[j] = acc.finish();
      }
    } else {
      arena.execute([&] {
        oneapi::tbb::parallel_for(first, last, [&](std::size_t j) {
          Accumulator acc;
          for (std::size_t m = 0; m < o.replicates; ++m) acc.add(simulate(points[j], o.generation, proposal(j, m)));
          out[j] = acc.finish();
        });
      });
    }
    if (on_batch) on_batch(first, std::vector<PointEnsemble>(out.begin() + static_cast<std::ptrdiff_t>(first),
                                                               out.begin() + static_cast<std::ptrdiff_t>(last)));
    if (on_progress) on_progress(last, n);
  }
  return out;
}

}  // namespace iskabm
