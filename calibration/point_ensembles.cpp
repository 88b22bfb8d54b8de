#include "calibration/point_ensembles.hpp"

#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "base/errors.hpp"

namespace iskabm {

std::vector<PointEnsemble> simulate_point_ensembles(const std::vector<std::vector<double>>& points,
                                                    const PointEnsembleOptions& o, const AbcSimulator& simulate,
                                                    const std::function<void(std::size_t, std::size_t)>& on_progress,
                                                    const std::atomic<bool>* stop) {
  if (o.replicates == 0) throw Error("at least one replicate per point is needed");
  const auto n = points.size();
  std::vector<PointEnsemble> out(n);
  const int threads = o.threads > 0 ? o.threads : oneapi::tbb::info::default_concurrency();
  oneapi::tbb::task_arena arena(threads);
  const std::size_t batch = std::max<std::size_t>(std::size_t{4} * static_cast<std::size_t>(threads), 16);
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t first = 0; first < n; first += batch) {
    if (stop && stop->load()) {
      out.resize(first);
      return out;
    }
    const auto last = std::min(n, first + batch);
    arena.execute([&] {
      oneapi::tbb::parallel_for(first, last, [&](std::size_t j) {
        // Welford's running mean and sum of squares, per statistic, over the defined replicates.
        std::vector<double> mean, ss;
        std::vector<std::uint32_t> count;
        for (std::size_t m = 0; m < o.replicates; ++m) {
          const auto proposal = o.common_random_numbers ? m : j * o.replicates + m;
          const auto s = simulate(points[j], o.generation, proposal);
          if (mean.empty()) mean.assign(s.size(), 0.0), ss.assign(s.size(), 0.0), count.assign(s.size(), 0);
          if (s.size() != mean.size()) throw Error("the simulator returned a varying number of statistics");
          for (std::size_t i = 0; i < s.size(); ++i) {
            if (!std::isfinite(s[i])) continue;
            const double delta = s[i] - mean[i];
            mean[i] += delta / static_cast<double>(++count[i]);
            ss[i] += delta * (s[i] - mean[i]);
          }
        }
        auto& e = out[j];
        e.mean = std::move(mean);
        e.variance.assign(e.mean.size(), nan);
        for (std::size_t i = 0; i < e.mean.size(); ++i) {
          if (count[i] == 0) e.mean[i] = nan;
          if (count[i] >= 2) e.variance[i] = ss[i] / static_cast<double>(count[i] - 1);
        }
        e.defined = std::move(count);
      });
    });
    if (on_progress) on_progress(last, n);
  }
  return out;
}

}  // namespace iskabm
