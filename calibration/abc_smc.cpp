#include "calibration/abc_smc.hpp"

#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <optional>

#include "base/errors.hpp"
#include "base/quantile.hpp"
#include "statistics/summary_statistics.hpp"

namespace iskabm {

std::string_view to_string(AbcStop s) noexcept {
  switch (s) {
    case AbcStop::final_tolerance: return "final tolerance reached";
    case AbcStop::min_acceptance: return "acceptance rate below the minimum";
    case AbcStop::max_simulations: return "simulation budget spent";
    case AbcStop::wall_clock: return "wall-clock limit";
    case AbcStop::max_generations: return "maximum number of generations";
    case AbcStop::interrupted: return "interrupted";
  }
  return "?";
}

std::string_view to_string(AbcSampler s) noexcept {
  switch (s) {
    case AbcSampler::importance: return "importance";
    case AbcSampler::mcmc: return "mcmc";
  }
  return "?";
}

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

struct Candidate {
  bool valid = false;
  std::vector<double> theta, stats;
  double distance = inf;
};

}  // namespace

std::vector<double> mad_scales(const std::vector<std::vector<double>>& rows) {
  if (rows.empty()) return {};
  const std::size_t n = rows.front().size();
  std::vector<double> out(n, 1.0);
  for (std::size_t j = 0; j < n; ++j) {
    std::vector<double> col;
    for (const auto& r : rows)
      if (std::isfinite(r[j])) col.push_back(r[j]);
    if (col.size() < 2) continue;
    const double med = quantile(col, 0.5);
    for (double& x : col) x = std::abs(x - med);
    const double mad = 1.4826 * quantile(col, 0.5);
    if (mad > 0) out[j] = mad;
  }
  return out;
}

double effective_sample_size(const std::vector<double>& w) {
  double s = 0;
  for (double x : w) s += x * x;
  return s > 0 ? 1.0 / s : 0.0;
}

AbcSmc::AbcSmc(std::vector<Prior> priors, std::vector<double> observed, std::vector<double> weights, AbcOptions options,
               AbcSimulator simulator, AbcBatchSimulator batch_simulator)
    : priors_(std::move(priors)),
      observed_(std::move(observed)),
      weights_(std::move(weights)),
      o_(std::move(options)),
      simulate_(std::move(simulator)),
      simulate_batch_(std::move(batch_simulator)) {
  if (priors_.empty() || priors_.size() > 64) throw Error("ABC-SMC needs 1..64 parameters");
  if (weights_.size() != observed_.size()) throw Error("ABC-SMC: one weight per statistic is required");
  if (o_.population < 2) throw Error("ABC-SMC: the population needs at least 2 particles");
}

double AbcSmc::distance(const std::vector<double>& s, const std::vector<double>& scales) const {
  if (s.size() != observed_.size()) throw Error("ABC-SMC: the simulator returned the wrong number of statistics");
  double d = 0;
  for (std::size_t j = 0; j < s.size(); ++j) {
    if (weights_[j] == 0) continue;
    if (!std::isfinite(s[j]) || !std::isfinite(observed_[j])) {
      d += weights_[j] * 100.0;  // an undefined statistic counts as ten scales off
      continue;
    }
    const double z = (s[j] - observed_[j]) / scales[j];
    d += weights_[j] * z * z;
  }
  return std::sqrt(d);
}

AbcResult AbcSmc::run(const std::function<void(const Generation&)>& on_generation, const std::atomic<bool>* stop,
                      const std::vector<Generation>& resume_from) {
  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  const std::size_t k = priors_.size(), n = o_.population;
  const std::size_t batch = o_.batch ? o_.batch : 64;  // fixed: results must not depend on threads
  const int threads = o_.threads > 0 ? o_.threads : oneapi::tbb::info::default_concurrency();
  oneapi::tbb::task_arena arena(threads);
  AbcResult result;
  result.generations = resume_from;
  std::uint64_t total = resume_from.empty() ? 0 : resume_from.back().simulations_total;

  // Simulates proposals [first, first + count) of generation g; `propose` fills theta (false: none).
  // Returns nothing when an external batch simulator dropped the batch after a stop request.
  const auto evaluate = [&](std::size_t g, std::uint64_t first, std::size_t count, const std::vector<double>& scales,
                            const std::function<bool(std::uint64_t, RandomStream&, std::vector<double>&)>& propose)
      -> std::optional<std::vector<Candidate>> {
    std::vector<Candidate> out(count);
    if (simulate_batch_) {
      // Proposals are drawn here from the same per-proposal streams; only the simulations move.
      arena.execute([&] {
        oneapi::tbb::parallel_for(std::size_t{0}, count, [&](std::size_t i) {
          RandomStream rng(o_.seed, g, Purpose::abc_proposal, 0, first + i);
          auto& c = out[i];
          c.theta.resize(k);
          c.valid = propose(first + i, rng, c.theta);
        });
      });
      std::vector<std::vector<double>> thetas(count);
      for (std::size_t i = 0; i < count; ++i)
        if (out[i].valid) thetas[i] = out[i].theta;
      auto stats = simulate_batch_(g, first, thetas);
      if (stats.size() != count) {
        if (stop && stop->load()) return std::nullopt;
        throw Error("ABC-SMC: the batch simulator returned the wrong number of results");
      }
      for (std::size_t i = 0; i < count; ++i) {
        auto& c = out[i];
        if (!c.valid) continue;
        c.stats = std::move(stats[i]);
        if (!scales.empty()) c.distance = distance(c.stats, scales);
      }
      return out;
    }
    arena.execute([&] {
      oneapi::tbb::parallel_for(std::size_t{0}, count, [&](std::size_t i) {
        RandomStream rng(o_.seed, g, Purpose::abc_proposal, 0, first + i);
        auto& c = out[i];
        c.theta.resize(k);
        if (!propose(first + i, rng, c.theta)) return;
        c.stats = simulate_(c.theta, g, first + i);
        c.valid = true;
        if (!scales.empty()) c.distance = distance(c.stats, scales);
      });
    });
    return out;
  };
  const auto from_prior = [&](std::uint64_t, RandomStream& rng, std::vector<double>& theta) {
    for (std::size_t p = 0; p < k; ++p) theta[p] = priors_[p].sample(rng);
    return true;
  };
  const auto out_of_time = [&] {
    return o_.max_seconds > 0 && std::chrono::duration<double>(Clock::now() - t0).count() > o_.max_seconds;
  };
  const auto finish = [&](Generation& gen, Clock::time_point started) {
    if (o_.sampler == AbcSampler::importance || gen.index == 0) gen.ess = effective_sample_size(gen.weight);
    gen.simulations_total = total;
    gen.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    result.generations.push_back(gen);
    if (on_generation) on_generation(result.generations.back());
  };

  if (result.generations.empty()) {
    const auto started = Clock::now();
    Generation gen;
    gen.index = 0;
    if (o_.rejection) {
      // Plain rejection ABC: prior proposals accepted at the final tolerance, in index order.
      std::vector<double> scales = o_.fixed_scales;
      std::uint64_t next = 0;
      if (scales.empty()) {  // pilot: the first `n` proposals set the scales
        const auto pilot = evaluate(0, 0, n, {}, from_prior);
        if (!pilot) return result.stop = AbcStop::interrupted, result;
        std::vector<std::vector<double>> rows;
        for (const auto& c : *pilot) rows.push_back(c.stats);
        scales = mad_scales(rows);
      }
      gen.scales = scales;
      gen.tolerance = o_.final_tolerance;
      while (gen.theta.size() < n) {
        if (stop && stop->load()) return result.stop = AbcStop::interrupted, result;
        if (next >= o_.max_simulations) return result.stop = AbcStop::max_simulations, result;
        if (out_of_time()) return result.stop = AbcStop::wall_clock, result;
        const auto evaluated = evaluate(0, next, batch, scales, from_prior);
        if (!evaluated) return result.stop = AbcStop::interrupted, result;
        const auto& cands = *evaluated;
        for (std::size_t i = 0; i < cands.size() && gen.theta.size() < n; ++i)
          if (cands[i].distance <= o_.final_tolerance) {
            gen.theta.push_back(cands[i].theta);
            gen.statistics.push_back(cands[i].stats);
            gen.distance.push_back(cands[i].distance);
            gen.simulations = next + i + 1;
          }
        next += batch;
        if (progress_) progress_(0, gen.theta.size(), n, next);
      }
      total = gen.simulations;
      gen.weight.assign(n, 1.0 / static_cast<double>(n));
      gen.acceptance_rate = static_cast<double>(n) / static_cast<double>(gen.simulations);
      finish(gen, started);
      result.stop = AbcStop::final_tolerance;
      return result;
    }
    // Generation 0: the prior, or the given initial population (a history match's points).
    const auto from_initial = [&](std::uint64_t proposal, RandomStream&, std::vector<double>& theta) {
      theta = o_.initial_population[proposal % o_.initial_population.size()];
      return theta.size() == k;
    };
    // In chunks (each proposal has its own streams, so the chunking changes nothing but how often
    // progress is reported): at least a batch, at most 20 chunks.
    std::vector<Candidate> cands;
    const std::size_t chunk = std::max<std::size_t>(batch, (n + 19) / 20);
    for (std::size_t first = 0; first < n; first += chunk) {
      const auto count = std::min(chunk, n - first);
      const auto evaluated = o_.initial_population.empty() ? evaluate(0, first, count, {}, from_prior)
                                                           : evaluate(0, first, count, {}, from_initial);
      if (!evaluated) return result.stop = AbcStop::interrupted, result;
      cands.insert(cands.end(), evaluated->begin(), evaluated->end());
      if (progress_) progress_(0, cands.size(), n, cands.size());
    }
    std::vector<std::vector<double>> rows;
    for (const auto& c : cands) rows.push_back(c.stats);
    gen.scales = o_.fixed_scales.empty() ? mad_scales(rows) : o_.fixed_scales;
    for (const auto& c : cands) {
      gen.theta.push_back(c.theta);
      gen.statistics.push_back(c.stats);
      gen.distance.push_back(distance(c.stats, gen.scales));
    }
    gen.tolerance = *std::max_element(gen.distance.begin(), gen.distance.end());
    gen.weight.assign(n, 1.0 / static_cast<double>(n));
    gen.simulations = n;
    total += n;
    gen.acceptance_rate = 1.0;
    finish(gen, started);
  }
  if (o_.rejection) return result.stop = AbcStop::final_tolerance, result;

  while (true) {
    const auto& prev = result.generations.back();
    if (prev.index > 0 && prev.tolerance <= o_.final_tolerance) return result.stop = AbcStop::final_tolerance, result;
    if (result.generations.size() >= o_.max_generations) return result.stop = AbcStop::max_generations, result;
    const auto started = Clock::now();
    Generation gen;
    gen.index = prev.index + 1;
    gen.scales = o_.fixed_scales.empty() ? mad_scales(prev.statistics) : o_.fixed_scales;
    std::vector<double> rescaled;
    for (const auto& s : prev.statistics) rescaled.push_back(distance(s, gen.scales));
    // The final tolerance is only a stopping rule (checked above): it does not shape the
    // generations, so a resumed calibration may change it and still follow the same path.
    gen.tolerance = quantile(rescaled, o_.tolerance_quantile);

    // Kernel, in kernel space (log of log-uniform parameters: their weights would otherwise vary
    // by the prior's 1/x over orders of magnitude and the effective sample size collapse).
    const auto to_u = [&](const std::vector<double>& theta) {
      std::vector<double> u(k);
      for (std::size_t p = 0; p < k; ++p) u[p] = priors_[p].to_kernel_space(theta[p]);
      return u;
    };
    const auto log_prior = [&](const std::vector<double>& u) {  // in kernel space
      double lp = 0;
      for (std::size_t p = 0; p < k; ++p) lp += priors_[p].log_density_in_kernel_space(u[p]);
      return lp;
    };
    if (o_.sampler == AbcSampler::mcmc) {
      // Survivors: the previous particles within the new tolerance (at least the quantile's share).
      std::vector<std::size_t> survivors;
      for (std::size_t i = 0; i < rescaled.size(); ++i)
        if (rescaled[i] <= gen.tolerance) survivors.push_back(i);
      std::vector<std::vector<double>> survivor_u;
      for (const auto i : survivors) survivor_u.push_back(to_u(prev.theta[i]));
      const double walk_scale = o_.kernel_scale * 2.38 * 2.38 / static_cast<double>(k);
      const PerturbationKernel walk(AbcKernel::global, survivor_u,
                                    std::vector<double>(survivors.size(), 1.0 / static_cast<double>(survivors.size())),
                                    std::vector<bool>(survivors.size(), true), walk_scale);
      for (const auto i : survivors) {
        gen.theta.push_back(prev.theta[i]);
        gen.statistics.push_back(prev.statistics[i]);
        gen.distance.push_back(rescaled[i]);
      }
      // The copies: survivors drawn uniformly, then moved.
      const std::size_t m = n - std::min(n, survivors.size());
      std::vector<std::vector<double>> chain_theta(m), chain_u(m), chain_stats(m);
      std::vector<double> chain_distance(m), chain_log_prior(m);
      RandomStream pick(o_.seed, gen.index, Purpose::abc_resample, 0, 0);
      for (std::size_t j = 0; j < m; ++j) {
        const auto s = std::min(static_cast<std::size_t>(pick.uniform() * static_cast<double>(survivors.size())),
                                survivors.size() - 1);
        chain_theta[j] = prev.theta[survivors[s]];
        chain_u[j] = survivor_u[s];
        chain_stats[j] = prev.statistics[survivors[s]];
        chain_distance[j] = rescaled[survivors[s]];
        chain_log_prior[j] = log_prior(chain_u[j]);
      }
      // Step r moves every copy once: proposal r x n + j, a Metropolis step on the prior ratio
      // (drawn before simulating: a rejected one costs nothing), then the tolerance.
      std::uint64_t attempted = 0, accepted = 0, simulated = 0;
      std::size_t steps = 1, least_steps = 1;
      bool measured = false;
      // Each copy's summed squared jumps, in units of the survivors' sd of each parameter.
      std::vector<double> survivor_sd(k, 0.0), jump(m, 0.0);
      for (std::size_t p = 0; p < k; ++p) {
        double mean = 0, var = 0;
        for (const auto& u : survivor_u) mean += u[p];
        mean /= static_cast<double>(survivor_u.size());
        for (const auto& u : survivor_u) var += (u[p] - mean) * (u[p] - mean);
        survivor_sd[p] = std::sqrt(var / static_cast<double>(survivor_u.size()));
      }
      const auto median_jump = [&] { return jump.empty() ? 0.0 : quantile(jump, 0.5) / static_cast<double>(k); };
      for (std::size_t r = 0; r < steps && m > 0; ++r) {
        std::vector<std::vector<double>> proposed_u(m);
        std::vector<double> proposed_log_prior(m);
        const auto move = [&](std::uint64_t proposal, RandomStream& rng, std::vector<double>& theta) {
          const std::size_t j = proposal % n;
          auto& u = proposed_u[j];
          walk.walk(chain_u[j], rng, u);
          const double lp = proposed_log_prior[j] = log_prior(u);
          if (!std::isfinite(lp)) return false;
          if (lp < chain_log_prior[j] && std::log(rng.uniform()) > lp - chain_log_prior[j]) return false;
          for (std::size_t p = 0; p < k; ++p) theta[p] = priors_[p].from_kernel_space(u[p]);
          return true;
        };
        for (std::size_t first = 0; first < m; first += batch) {
          if (stop && stop->load()) return result.stop = AbcStop::interrupted, result;
          if (total + simulated >= o_.max_simulations) return result.stop = AbcStop::max_simulations, result;
          if (out_of_time()) return result.stop = AbcStop::wall_clock, result;
          const std::size_t count = std::min(batch, m - first);
          const auto evaluated = evaluate(gen.index, r * n + first, count, gen.scales, move);
          if (!evaluated) return result.stop = AbcStop::interrupted, result;
          for (std::size_t i = 0; i < count; ++i) {
            const auto& c = (*evaluated)[i];
            const std::size_t j = first + i;
            ++attempted;
            if (!c.valid) continue;
            ++simulated;
            if (c.distance > gen.tolerance) continue;
            ++accepted;
            for (std::size_t p = 0; p < k; ++p)
              if (survivor_sd[p] > 0) {
                const double z = (proposed_u[j][p] - chain_u[j][p]) / survivor_sd[p];
                jump[j] += z * z;
              }
            chain_theta[j] = c.theta, chain_u[j] = proposed_u[j], chain_stats[j] = c.stats;
            chain_distance[j] = c.distance, chain_log_prior[j] = proposed_log_prior[j];
          }
          if (progress_) progress_(gen.index, r * m + first + count, std::max<std::size_t>(steps, r + 1) * m, simulated);
        }
        if (!measured) {  // the pilot steps set the number of steps
          const double p = static_cast<double>(accepted) / static_cast<double>(attempted);
          if (p >= o_.min_acceptance && p > 0) {
            measured = true;
            steps = least_steps = std::max<std::size_t>(
                r + 1, o_.moves * (p >= 1 ? 1 : static_cast<std::size_t>(std::ceil(std::log(0.01) / std::log1p(-p)))));
          } else if (attempted >= 4 * n) {  // as the importance sampler: judged on at least 4n proposals
            return result.stop = AbcStop::min_acceptance, result;
          } else {
            steps = r + 2;  // one more pilot step: a few copies' single step is too noisy to stop on
          }
        }
        // Past the steps above: on until the median copy has jumped min_jump (at most 20 x as many).
        if (measured && r + 1 == steps && o_.min_jump > 0 && steps < 20 * least_steps && median_jump() < o_.min_jump)
          ++steps;
      }
      for (std::size_t j = 0; j < m; ++j) {
        gen.theta.push_back(std::move(chain_theta[j]));
        gen.statistics.push_back(std::move(chain_stats[j]));
        gen.distance.push_back(chain_distance[j]);
      }
      gen.simulations = simulated;
      total += simulated;
      gen.acceptance_rate = attempted ? static_cast<double>(accepted) / static_cast<double>(attempted) : 1.0;
      gen.median_jump = median_jump();
      gen.weight.assign(n, 1.0 / static_cast<double>(n));
      auto distinct = gen.theta;
      std::sort(distinct.begin(), distinct.end());
      gen.ess = static_cast<double>(std::unique(distinct.begin(), distinct.end()) - distinct.begin());
      finish(gen, started);
      continue;
    }
    std::vector<std::vector<double>> prev_u;
    for (const auto& t : prev.theta) prev_u.push_back(to_u(t));
    std::vector<bool> near(rescaled.size());
    for (std::size_t i = 0; i < near.size(); ++i) near[i] = rescaled[i] <= gen.tolerance;
    std::vector<double> lower(k), upper(k);  // the support in kernel space (the component kernel keeps to it)
    for (std::size_t p = 0; p < k; ++p)
      lower[p] = priors_[p].to_kernel_space(priors_[p].lower()), upper[p] = priors_[p].to_kernel_space(priors_[p].upper());
    const PerturbationKernel kernel(o_.kernel, std::move(prev_u), prev.weight, near, o_.kernel_scale, lower, upper);
    const auto perturb = [&](std::uint64_t, RandomStream& rng, std::vector<double>& theta) {
      std::vector<double> u(k);
      for (int tries = 0; tries < 1000; ++tries) {
        kernel.propose(rng, u);
        bool inside = true;
        for (std::size_t p = 0; p < k; ++p) {
          theta[p] = priors_[p].from_kernel_space(u[p]);
          inside = inside && priors_[p].in_shape_support(theta[p]);
        }
        if (!inside) continue;
        // Outside a parameter's own range (a normal prior's tail): a proposal the prior gives no
        // mass, rejected unsimulated, as the distance would have rejected it or not. Rejecting
        // leaves the accepted proposals' distribution (the kernel restricted to the range) and
        // their normalised weights as they are; drawing again would turn a proposal that used to
        // be rejected into another one, and change every calibration in which that happened.
        for (std::size_t p = 0; p < k; ++p)
          if (!priors_[p].in_range(theta[p])) return false;
        return true;
      }
      return false;
    };

    std::uint64_t next = 0;
    while (gen.theta.size() < n) {
      if (stop && stop->load()) return result.stop = AbcStop::interrupted, result;
      if (total + next >= o_.max_simulations) return result.stop = AbcStop::max_simulations, result;
      if (out_of_time()) return result.stop = AbcStop::wall_clock, result;
      if (next >= 4 * n && static_cast<double>(gen.theta.size()) / static_cast<double>(next) < o_.min_acceptance)
        return result.stop = AbcStop::min_acceptance, result;
      const auto evaluated = evaluate(gen.index, next, batch, gen.scales, perturb);
      if (!evaluated) return result.stop = AbcStop::interrupted, result;
      const auto& cands = *evaluated;
      for (std::size_t i = 0; i < cands.size() && gen.theta.size() < n; ++i)
        if (cands[i].valid && cands[i].distance <= gen.tolerance) {
          gen.theta.push_back(cands[i].theta);
          gen.statistics.push_back(cands[i].stats);
          gen.distance.push_back(cands[i].distance);
          gen.simulations = next + i + 1;
        }
      next += batch;
      if (progress_) progress_(gen.index, gen.theta.size(), n, next);
    }
    total += gen.simulations;
    gen.acceptance_rate = static_cast<double>(n) / static_cast<double>(gen.simulations);

    // Importance weights: prior / mixture of kernels around the previous population.
    std::vector<double> log_w(n);
    for (std::size_t i = 0; i < n; ++i) {
      const auto u = to_u(gen.theta[i]);
      log_w[i] = log_prior(u) - kernel.relative_log_density(u);
    }
    const double norm = log_sum_exp(log_w);
    gen.weight.resize(n);
    for (std::size_t i = 0; i < n; ++i) gen.weight[i] = std::exp(log_w[i] - norm);
    finish(gen, started);
  }
}

}  // namespace iskabm
