// iskabm_calibration_bench: the calibration's speed.
//   build/iskabm_calibration_bench [--generations G] [--max-rejection N] [--posterior FILE]
// Prints two tables:
//  1. simulations per second of ABC-SMC on the default calibration (calibration/default.toml:
//     the baseline scenario, 9 parameters, 38 statistics) with 1 and 2 threads, and the speed-up;
//  2. simulations ABC-SMC and plain rejection ABC need to accept the same population at the same
//     final tolerance, under the same distance (the last generation's scales), with three
//     perturbation kernels (local; global with kernel_scale 2, the default, and 1, the shipped
//     calibration's): for the default calibration at population 100 after G generations (default
//     6), the full default calibration (the spec's own population, generations and stopping rules:
//     the shipped kernel's row reads its posterior file, default results/default_posterior.h5
//     made by `iskabm calibrate calibration/default.toml`, the other kernels' are run here), the
//     small test configuration (2 parameters) and a toy normal-mean model (G + 2 generations).
//     Rejection runs prior simulations until the population is accepted or N have run (default
//     12,000; the small configuration 20 N), then its cost is population / acceptance rate, and
//     the ratio's 95 % interval follows from the exact Poisson interval of the acceptances. Each
//     row also gives the ratio per effective particle: ABC-SMC's weighted particles are worth
//     ESS equally weighted ones, rejection's population all of its particles.
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/random/normal_distribution.hpp>
#include <fmt/format.h>
#include <oneapi/tbb/parallel_for.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "calibration/abc_smc.hpp"
#include "calibration/calibration_spec.hpp"
#include "calibration/loaded_calibration.hpp"
#include "calibration/model_simulator.hpp"
#include "calibration/posterior_file.hpp"
#include "config/scenario_loader.hpp"
#include "io/observed_data.hpp"
#include "iskabm/build_info.hpp"
#include "model/world.hpp"
#include "statistics/summary_statistics.hpp"

using namespace iskabm;
using Clock = std::chrono::steady_clock;

namespace {

const std::filesystem::path source = build_info::source_dir;
const std::filesystem::path defaults = source / "parameters" / "defaults.toml";

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// A perturbation kernel: its kind and, for the global one, its scale (AbcOptions::kernel_scale).
struct Kernel {
  AbcKernel kind = AbcKernel::global;
  double scale = 2.0;
  [[nodiscard]] std::string label() const {
    return kind == AbcKernel::global ? fmt::format("global x{:g}", scale) : std::string(to_string(kind));
  }
  [[nodiscard]] bool operator==(const Kernel&) const = default;
};

struct Comparison {
  std::string name;
  double tolerance = 0;
  std::uint64_t smc = 0;
  double rejection = 0;    // simulations rejection ABC needs for the population
  bool estimated = false;  // from the acceptance rate of `prior_sims` prior simulations
  std::uint64_t accepted = 0, prior_sims = 0;
  std::size_t generations = 0;
  std::size_t population = 0;
  double ess = 0;  // of ABC-SMC's last generation (rejection's is the population)
};

// Statistics of the rejection sampler's prior simulations [first, first + count): each proposal
// draws from its own stream, and they are simulated in parallel.
std::vector<std::vector<double>> prior_simulations(const std::vector<Prior>& priors, const AbcSimulator& sim,
                                                   std::uint64_t first, std::uint64_t count) {
  std::vector<std::vector<double>> out(count);
  oneapi::tbb::parallel_for(std::uint64_t{0}, count, [&](std::uint64_t i) {
    RandomStream rng(3, 0, Purpose::abc_proposal, 1, first + i);
    std::vector<double> theta;
    for (const auto& p : priors) theta.push_back(p.sample(rng));
    out[i] = sim(theta, 0xFFFFFFFE, first + i);
  });
  return out;
}

// Accepts, in index order, those of `stats` (prior simulations numbered from `first`) within
// c.tolerance under `scales`, until the population is full: then c.rejection is exact.
void accept_in_order(Comparison& c, const AbcSmc& engine, const std::vector<std::vector<double>>& stats,
                     std::uint64_t first, const std::vector<double>& scales, std::size_t population) {
  for (std::size_t i = 0; i < stats.size() && c.accepted < population; ++i)
    if (engine.distance(stats[i], scales) <= c.tolerance && ++c.accepted == population)
      c.rejection = static_cast<double>(first + i + 1);
}

// After `simulated` prior simulations: if the population is not full, the cost is population /
// acceptance rate (with no acceptance, the rule of three's bound population x simulated / 3).
void estimate_if_short(Comparison& c, std::size_t population, std::uint64_t simulated) {
  c.prior_sims = simulated;
  if (c.accepted >= population) return;
  c.estimated = true;
  c.rejection = static_cast<double>(population) * static_cast<double>(simulated) /
                (c.accepted > 0 ? static_cast<double>(c.accepted) : 3.0);
}

// The cost of plain rejection ABC at tolerance c.tolerance under `scales` (see compare): prior
// simulations in batches, until the population is accepted or `cap` have run.
void rejection_cost(Comparison& c, const AbcSmc& engine, const std::vector<Prior>& priors, const AbcSimulator& sim,
                    const std::vector<double>& scales, std::size_t population, std::uint64_t cap) {
  const std::uint64_t batch = 256;
  std::uint64_t next = 0;
  while (c.accepted < population && next < cap) {
    const auto count = std::min(batch, cap - next);
    accept_in_order(c, engine, prior_simulations(priors, sim, next, count), next, scales, population);
    next += count;
  }
  estimate_if_short(c, population, next);
}

// The same on a pool of prior simulations (prior_simulations from 0), shared by several criteria.
void rejection_cost(Comparison& c, const AbcSmc& engine, const std::vector<std::vector<double>>& pool,
                    const std::vector<double>& scales, std::size_t population) {
  accept_in_order(c, engine, pool, 0, scales, population);
  estimate_if_short(c, population, pool.size());
}

// ABC-SMC (adaptive scales, as `iskabm calibrate` runs it) for `generations` generations; then
// the cost of plain rejection ABC at the same final criterion (the last generation's scales and
// tolerance): prior simulations are run in index order until `population` are accepted (exact),
// or up to `cap` of them, after which the cost is population / acceptance rate (estimated; with
// no acceptance, a 95 % lower bound by the rule of three: population x cap / 3).
Comparison compare(const std::string& name, const std::vector<Prior>& priors, const std::vector<double>& observed,
                   const AbcSimulator& sim, std::size_t population, std::size_t generations, std::uint64_t cap,
                   Kernel kernel, std::vector<double> weights = {},
                   const std::vector<std::vector<double>>* pool = nullptr, const AbcOptions* options = nullptr) {
  if (weights.empty()) weights.assign(observed.size(), 1.0);
  AbcOptions o;
  if (options) o = *options;
  o.population = population;
  o.max_generations = generations;
  if (!options) {
    o.min_acceptance = 0;
    o.seed = 2;
  }
  o.max_seconds = 0;
  o.kernel = kernel.kind;
  o.kernel_scale = kernel.scale;
  const AbcSmc smc_engine(priors, observed, weights, o, sim);
  auto engine = smc_engine;
  const auto smc = engine.run(nullptr);
  Comparison c;
  c.name = fmt::format("{}, {} kernel", name, kernel.label());
  c.generations = smc.generations.size();
  c.tolerance = smc.generations.back().tolerance;
  c.smc = smc.generations.back().simulations_total;
  c.ess = smc.generations.back().ess;
  c.population = population;
  if (pool)
    rejection_cost(c, smc_engine, *pool, smc.generations.back().scales, population);
  else
    rejection_cost(c, smc_engine, priors, sim, smc.generations.back().scales, population, cap);
  return c;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t generations = 6;
  std::uint64_t cap = 12000;
  std::filesystem::path posterior_file = "results/default_posterior.h5";
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--generations") && i + 1 < argc)
      generations = std::stoul(argv[++i]);
    else if (!std::strcmp(argv[i], "--max-rejection") && i + 1 < argc)
      cap = std::stoull(argv[++i]);
    else if (!std::strcmp(argv[i], "--posterior") && i + 1 < argc)
      posterior_file = argv[++i];
    else {
      fmt::print(stderr, "usage: iskabm_calibration_bench [--generations G] [--max-rejection N] [--posterior FILE]\n");
      return 64;
    }
  }
  const auto data = load_observed_data(build_info::default_data_dir);

  // 1. Throughput on the default calibration (and, below, its SMC-vs-rejection row).
  const std::vector<Kernel> kernels{{AbcKernel::local, 2.0}, {AbcKernel::global, 2.0}, {AbcKernel::global, 1.0}};
  std::vector<Comparison> default_rows;
  Comparison shipped_row;
  {
    // As `iskabm calibrate` loads it, so the shipped posterior file can be recognised by its fingerprint.
    const auto cal = load_calibration(source / "calibration" / "default.toml", data, defaults);
    const auto& spec = cal.spec;
    const auto& observed = cal.observed;
    const auto& priors = cal.priors;
    const auto model = cal.simulator(data.geography, spec.options.seed);
    std::atomic<std::uint64_t> calls{0};
    const AbcSimulator counted = [&](const std::vector<double>& t, std::uint64_t g, std::uint64_t p) {
      ++calls;
      return model(t, g, p);
    };
    fmt::print("ABC-SMC on calibration/default.toml ({} parameters, {} statistics), population 100, 3 generations\n\n",
               spec.parameters.size(), spec.statistics.size());
    fmt::print("{:>8} {:>12} {:>10} {:>14} {:>9}\n", "threads", "simulations", "seconds", "simulations/s", "speed-up");
    double base = 0;
    for (int threads : {1, 2}) {
      auto o = spec.options;
      o.population = 100;
      o.max_generations = 3;
      o.max_seconds = 0;
      o.threads = threads;
      calls = 0;
      const auto t0 = Clock::now();
      (void)AbcSmc(priors, observed, spec.weights, o, counted).run(nullptr);
      const double s = seconds_since(t0);
      const double rate = static_cast<double>(calls.load()) / s;
      if (threads == 1) base = rate;
      fmt::print("{:>8} {:>12} {:>10.1f} {:>14.1f} {:>8.2f}x\n", threads, calls.load(), s, rate, rate / base);
    }
    // One pool of prior simulations prices rejection ABC for every default-calibration row.
    const auto pool = prior_simulations(priors, std::cref(model), 0, cap);
    for (const auto kernel : kernels)
      default_rows.push_back(compare("default calibration, population 100", priors, observed, std::cref(model), 100,
                                     generations, cap, kernel, spec.weights, &pool));
    // The full default calibration (its population, generations, seed and stopping rules) with
    // the kernels it does not ship with; the shipped one is read from its posterior file.
    const Kernel shipped_kernel{spec.options.kernel, spec.options.kernel_scale};
    for (const auto kernel : kernels)
      if (kernel != shipped_kernel)
        default_rows.push_back(compare("default calibration (full)", priors, observed, std::cref(model),
                                       spec.options.population, spec.options.max_generations, cap, kernel, spec.weights,
                                       &pool, &spec.options));
    std::error_code ec;
    if (!std::filesystem::exists(posterior_file, ec)) {
      fmt::print(
          "\n(no {}: the shipped calibration's row needs it; make it with\n build/iskabm calibrate "
          "calibration/default.toml -o {})\n",
          posterior_file.string(), posterior_file.string());
    } else if (const auto shipped = read_posterior_file(posterior_file);
               shipped.fingerprint != calibration_fingerprint(spec, cal.scenario_toml, observed, spec.options.seed)) {
      fmt::print(
          "\n({} was made by another calibration than calibration/default.toml: the shipped calibration's "
          "row needs it; remake it with\n build/iskabm calibrate calibration/default.toml -o {})\n",
          posterior_file.string(), posterior_file.string());
    } else {
      shipped_row.name = fmt::format("default calibration (full, shipped), {} kernel", shipped_kernel.label());
      shipped_row.generations = shipped.generations.size();
      shipped_row.tolerance = shipped.generations.back().tolerance;
      shipped_row.smc = shipped.generations.back().simulations_total;
      shipped_row.ess = shipped.generations.back().ess;
      shipped_row.population = spec.options.population;
      const AbcSmc engine(priors, observed, spec.weights, spec.options, std::cref(model));
      rejection_cost(shipped_row, engine, pool, shipped.generations.back().scales, spec.options.population);
    }
  }

  // 2. ABC-SMC against rejection ABC at the same tolerance.
  std::vector<Comparison> rows;
  {
    const auto config =
        load_model_config(source / "tests" / "fixtures" / "small_config.toml", data.geography, defaults);
    const auto world = make_world(data.geography, config);
    const auto names = summary_statistic_names(world);
    std::vector<std::string> selected;
    for (const auto& n : names)
      if (n.starts_with("observed_attacks_") || n.starts_with("observed_month_share_")) selected.push_back(n);
    const std::vector<FreeParameter> free{
        {find_parameter("attack.base_rate"), Prior{Prior::Kind::log_uniform, 0.002, 0.05, 0, 1}},
        {find_parameter("season.fighting_season_factor"), Prior{Prior::Kind::uniform, 0.5, 3, 0, 1}}};
    const ModelSimulator model(data.geography, config, free, names, selected, 5);
    // Synthetic observation: the mean of 8 replicates at the configuration's own values.
    std::vector<double> observed(selected.size(), 0.0);
    const std::vector<double> truth{config.parameters.attack_base_rate,
                                    config.parameters.season_fighting_season_factor};
    for (std::uint64_t r = 0; r < 8; ++r) {
      const auto s = model(truth, 0xFFFFFFFF, r);
      for (std::size_t j = 0; j < s.size(); ++j) observed[j] += s[j] / 8;
    }
    for (const auto kernel : kernels)
      rows.push_back(compare("small configuration, 2 parameters", {free[0].prior, free[1].prior}, observed,
                             std::cref(model), 100, generations + 2, 20 * cap, kernel));
  }
  {
    const AbcSimulator toy = [](const std::vector<double>& t, std::uint64_t g, std::uint64_t p) {
      RandomStream rng(99, g, Purpose::initialisation, 1, p);
      return std::vector<double>{t[0] + boost::random::normal_distribution<double>(0.0, 1.0)(rng) / std::sqrt(20.0)};
    };
    for (const auto kernel : kernels)
      rows.push_back(compare("toy normal mean, 1 parameter", {Prior{Prior::Kind::normal, 0, 0, 0, 3}}, {1.3}, toy, 1000,
                             generations + 2, 50'000'000, kernel));
  }
  rows.insert(rows.end(), default_rows.begin(), default_rows.end());
  if (!shipped_row.name.empty()) rows.push_back(shipped_row);
  fmt::print("\nsimulations to accept the same population at the same tolerance (same distance scales)\n\n");
  fmt::print("{:<58} {:>5} {:>10} {:>9} {:>6} {:>12} {:>8} {:>10}\n", "model", "gens", "tolerance", "ABC-SMC", "ESS",
             "rejection", "ratio", "per ESS");
  for (const auto& r : rows)
    fmt::print("{:<58} {:>5} {:>10.4g} {:>9} {:>6.0f} {:>12} {:>7.1f}x {:>9.1f}x\n", r.name, r.generations, r.tolerance,
               r.smc, r.ess, fmt::format("{}{:.0f}", r.estimated ? (r.accepted ? "~" : ">") : "", r.rejection),
               r.rejection / static_cast<double>(r.smc),
               (r.rejection / static_cast<double>(r.population)) / (static_cast<double>(r.smc) / r.ess));
  fmt::print(
      "(ratio: rejection's simulations over ABC-SMC's; per ESS: the same per effective particle, rejection's\n"
      " particles being equally weighted, ABC-SMC's weighted with the effective sample size shown)\n");
  for (const auto& r : rows)
    if (r.estimated) {
      fmt::print("{} {}: {} of {} prior simulations within the tolerance; rejection cost = population / {}",
                 r.accepted ? "~" : ">", r.name, r.accepted, r.prior_sims,
                 r.accepted ? "acceptance rate" : "(3 / simulations), the rule of three's 95 % upper acceptance bound");
      if (r.accepted > 0) {
        // Exact (Garwood) 95 % interval of a Poisson count k: chi2(0.025; 2k) / 2 .. chi2(0.975; 2k + 2) / 2.
        const auto k = static_cast<double>(r.accepted);
        const double lo = boost::math::quantile(boost::math::chi_squared(2 * k), 0.025) / 2;
        const double hi = boost::math::quantile(boost::math::chi_squared(2 * k + 2), 0.975) / 2;
        const double per_accepted =
            static_cast<double>(r.population) * static_cast<double>(r.prior_sims) / static_cast<double>(r.smc);
        fmt::print("; ratio 95 % interval {:.1f}-{:.1f}x", per_accepted / hi, per_accepted / lo);
      }
      fmt::print("\n");
    }
  return 0;
}
