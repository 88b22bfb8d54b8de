// iskabm_bench: how fast one replicate of the default configuration runs, and where the time goes.
//   build/iskabm_bench [--replicates N] [--config FILE] [--v1-posterior FILE]
// Prints a table: ms per replicate (median, min, max), cell-days per second, the share of each
// stage of the daily schedule, and the cost of writing a replicate to HDF5 (parameter defaults).
// Then the cost per simulated year at the posterior (issue 17): the baseline under v2 and its
// shipped posterior, under v1's structure and v1's posterior (--v1-posterior, default
// results/ablation/v1/posterior.h5 of tools/ablation/run_ablation.sh; the defaults if absent), and
// the 2021 withdrawal scenario to 2025 under v2's posterior, each replicate drawing its particle as
// `iskabm run` does; and the baseline again with the per-purpose draws of every result before
// issue 22 ([run] draws). Last, the speed floor (issue 22): a bare loop of three counter-based draws per
// cell-day over the same cell-days, and the model's cost as a ratio to it. One thread.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include "calibration/posterior_file.hpp"
#include "config/scenario_loader.hpp"
#include "io/observed_data.hpp"
#include "iskabm/build_info.hpp"
#include "model/random_stream.hpp"
#include "model/simulation.hpp"
#include "output/run_file.hpp"

using namespace iskabm;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::array stage_names{"co-location index",
                                 "recruitment + defection",
                                 "attrition",
                                 "resources",
                                 "attacks + joint + observation",
                                 "fission/fusion",
                                 "movement",
                                 "group memory + removal + month-end record"};

// Times each stage of the schedule by the clock between the observer's calls.
class StageTimer : public ScheduleObserver {
 public:
  void start() { last_ = Clock::now(); }
  void after(Stage stage, const rules::Day&, const State&, const Recorder&) override {
    const auto now = Clock::now();
    seconds_[static_cast<std::size_t>(stage)] += std::chrono::duration<double>(now - last_).count();
    last_ = now;
  }
  std::array<double, 8> seconds_{};

 private:
  Clock::time_point last_;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

struct YearCost {
  double ms_per_year, cell_days_per_year;
  double mean_ms_per_year;  // total time / total years: what an ensemble's throughput pays
};

struct CostCase {
  ModelConfig config;
  std::filesystem::path posterior;  // empty: the configuration's own parameters
};

// Median and mean ms and mean cell-days per simulated year of each case, each replicate with the
// parameters of its posterior particle. The cases take turns replicate by replicate (case 0's
// replicate r, case 1's, ..., then r + 1), so a drift in the shared machine's speed weighs on all
// of them alike and their ratios stay meaningful.
std::vector<YearCost> costs_per_year(const Geography& geo, const std::vector<CostCase>& cases,
                                     std::size_t replicates) {
  struct Running {
    std::optional<PosteriorDraw> draw;
    double years = 0, cell_days = 0;
    std::vector<double> ms;
  };
  std::vector<Running> run(cases.size());
  for (std::size_t k = 0; k < cases.size(); ++k) {
    if (!cases[k].posterior.empty()) run[k].draw = read_posterior_draw(cases[k].posterior);
    run[k].years = static_cast<double>(cases[k].config.end - cases[k].config.start + 1) / 365.25;
  }
  State state;
  Recorder rec;
  for (std::size_t r = 0; r < replicates; ++r)
    for (std::size_t k = 0; k < cases.size(); ++k) {
      auto& x = run[k];
      auto c = cases[k].config;
      if (x.draw) x.draw->apply(c.parameters, x.draw->values(c.seed, r));
      const auto w = make_world(geo, std::move(c));
      const auto t0 = Clock::now();
      run_replicate(w, w.config.seed, r, state, rec);
      x.ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count() / x.years);
      x.cell_days += static_cast<double>(rec.cell_days) / x.years / static_cast<double>(replicates);
    }
  std::vector<YearCost> out;
  for (auto& x : run) {
    const double mean = std::accumulate(x.ms.begin(), x.ms.end(), 0.0) / static_cast<double>(x.ms.size());
    out.push_back({median(x.ms), x.cell_days, mean});
  }
  return out;
}

// The speed floor (issue 22): a bare loop over `cell_days` cell-days (as many cells each day as the
// model has on average over `days` days) that draws three uniforms per cell-day from counter-based
// streams keyed like the model's and does minimal state updates (members up and down, an attack
// count). `per_purpose`: three streams of the model's purposes (recruitment, attrition, attack),
// a Philox4x64 block each, as the rules drew before issue 22 ([run] draws = "per_purpose"); else
// three draws from one block, as the cell-day draws do. Median ms.
double floor_ms(double cell_days, std::size_t days, bool per_purpose, std::size_t repeats) {
  const auto cells = std::max<std::size_t>(1, static_cast<std::size_t>(cell_days / static_cast<double>(days) + 0.5));
  std::vector<std::int64_t> members(cells, 20);
  std::vector<double> ms;
  volatile std::int64_t sink = 0;
  for (std::size_t rep = 0; rep < repeats; ++rep) {
    std::int64_t attacks = 0;
    const auto t0 = Clock::now();
    for (std::size_t day = 0; day < days; ++day)
      for (std::size_t c = 0; c < cells; ++c) {
        double u1, u2, u3;
        if (per_purpose) {
          u1 = RandomStream(42, rep, Purpose::recruitment, day, c).uniform();
          u2 = RandomStream(42, rep, Purpose::attrition, day, c).uniform();
          u3 = RandomStream(42, rep, Purpose::attack, day, c).uniform();
        } else {
          RandomStream s(42, rep, Purpose::attack, day, c);
          u1 = s.uniform(), u2 = s.uniform(), u3 = s.uniform();
        }
        members[c] += (u1 < 0.02) - (u2 < 0.02 && members[c] > 0);
        attacks += u3 < 0.001 * static_cast<double>(members[c]);
      }
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    sink = sink + attacks;
  }
  return median(ms);
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t replicates = 200;  // a posterior's replicates vary widely in cost: 50 left the median ratio noisy
  const std::filesystem::path source(build_info::source_dir);
  std::filesystem::path config = source / "scenarios" / "baseline_2015_2018.toml";
  std::filesystem::path v1_posterior = source / "results" / "ablation" / "v1" / "posterior.h5";
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--replicates") && i + 1 < argc)
      replicates = std::stoul(argv[++i]);
    else if (!std::strcmp(argv[i], "--config") && i + 1 < argc)
      config = argv[++i];
    else if (!std::strcmp(argv[i], "--v1-posterior") && i + 1 < argc)
      v1_posterior = argv[++i];
    else {
      fmt::print(stderr, "usage: iskabm_bench [--replicates N] [--config FILE] [--v1-posterior FILE]\n");
      return 64;
    }
  }
  const auto data = load_observed_data(build_info::default_data_dir);
  const auto world = make_world(data.geography, load_model_config(config, data.geography,
                                                                  std::filesystem::path(build_info::source_dir) /
                                                                      "parameters" / "defaults.toml"));

  State state;
  Recorder rec;
  run_replicate(world, world.config.seed, 999, state, rec);  // warm-up

  std::vector<double> ms;
  double cell_days = 0;
  for (std::size_t r = 0; r < replicates; ++r) {
    const auto t0 = Clock::now();
    run_replicate(world, world.config.seed, r, state, rec);
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    cell_days += static_cast<double>(rec.cell_days);
  }
  const double total_s = std::accumulate(ms.begin(), ms.end(), 0.0) / 1000.0;

  StageTimer timer;
  for (std::size_t r = 0; r < std::min<std::size_t>(replicates, 20); ++r) {
    timer.start();
    run_replicate(world, world.config.seed, r, state, rec, &timer);
  }
  const double staged = std::accumulate(timer.seconds_.begin(), timer.seconds_.end(), 0.0);

  const auto tmp = std::filesystem::temp_directory_path() / "iskabm_bench.h5";
  std::vector<double> write_ms;
  {
    RunFileWriter writer(tmp, world, RunMetadata{"iskabm_bench", "", world.config.seed, 0, {}, {}});
    for (std::size_t r = 0; r < std::min<std::size_t>(replicates, 20); ++r) {
      const auto t0 = Clock::now();
      writer.append(r, rec);
      write_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    }
  }  // uncommitted: removed

  fmt::print("iskabm {} (git {}) — {} ({} days, {} districts), 1 thread\n\n", build_info::version,
             build_info::git_commit, world.config.title, world.days(), world.districts());
  fmt::print("| measure | value |\n|---|---|\n");
  fmt::print("| replicates timed | {} |\n", replicates);
  fmt::print("| ms per replicate, median | {:.2f} |\n", median(ms));
  fmt::print("| ms per replicate, min / max | {:.2f} / {:.2f} |\n", *std::min_element(ms.begin(), ms.end()),
             *std::max_element(ms.begin(), ms.end()));
  fmt::print("| cell-days per replicate | {:.0f} |\n", cell_days / static_cast<double>(replicates));
  fmt::print("| cell-days per second | {:.3g} |\n", cell_days / total_s);
  fmt::print("| HDF5 write per replicate, ms (median) | {:.2f} |\n", median(write_ms));
  fmt::print("\n| stage of the daily schedule | share of replicate time |\n|---|---|\n");
  for (std::size_t k = 0; k < stage_names.size(); ++k)
    fmt::print("| {} | {:.1f} % |\n", stage_names[k], 100.0 * timer.seconds_[k] / staged);

  // Cost per simulated year at the posterior.
  const auto defaults = source / "parameters" / "defaults.toml";
  const auto baseline = load_model_config(source / "scenarios" / "baseline_2015_2018.toml", data.geography, defaults);
  auto v1 = load_model_config(source / "scenarios" / "ablation" / "v1_structure.toml", data.geography, defaults);
  const auto withdrawal = load_model_config(source / "scenarios" / "withdrawal_2021.toml", data.geography, defaults);
  auto per_purpose_draws = baseline;  // the draw scheme of every result before issue 22
  per_purpose_draws.draws = DrawScheme::per_purpose;
  const bool have_v1 = std::filesystem::exists(v1_posterior);
  const auto costs = costs_per_year(data.geography,
                                    {{baseline, baseline.posterior},
                                     {v1, have_v1 ? v1_posterior : std::filesystem::path()},
                                     {withdrawal, withdrawal.posterior},
                                     {per_purpose_draws, baseline.posterior}},
                                    replicates);
  const auto& b = costs[0];
  fmt::print(
      "\n| cost per simulated year, at the posterior | ms (median) | ms (mean) | cell-days | ratio to v2 baseline "
      "(median) | ratio (mean) |\n"
      "|---|---|---|---|---|---|\n");
  const auto row = [&](const std::string& label, const YearCost& c) {
    fmt::print("| {} | {:.2f} | {:.2f} | {:.0f} | {:.2f} | {:.2f} |\n", label, c.ms_per_year, c.mean_ms_per_year,
               c.cell_days_per_year, c.ms_per_year / b.ms_per_year, c.mean_ms_per_year / b.mean_ms_per_year);
  };
  row("baseline 2014-2018, v2, shipped posterior", b);
  row("baseline 2014-2018, v1 structure, " +
          (have_v1 ? "v1 posterior (" + v1_posterior.filename().string() + ")" : "parameter defaults (no v1 posterior)"),
      costs[1]);
  row("withdrawal 2021, to 2025, v2, shipped posterior", costs[2]);
  row("baseline 2014-2018, v2, shipped posterior, per-purpose draws (before issue 22)", costs[3]);

  // The speed floor over the same cell-days as the v2 baseline at its posterior (issue 22's
  // target: model / floor <= 2 for the single-block floor).
  const auto days_per_year = static_cast<std::size_t>(365.25 + 0.5);
  const double one_block = floor_ms(b.cell_days_per_year, days_per_year, false, std::max<std::size_t>(replicates, 5));
  const double per_purpose = floor_ms(b.cell_days_per_year, days_per_year, true, std::max<std::size_t>(replicates, 5));
  fmt::print(
      "\n| speed floor per simulated year, same cell-days as the v2 baseline | ms (median) | model / floor |\n"
      "|---|---|---|\n");
  fmt::print("| bare loop: 3 draws from one counter-based block per cell-day, minimal state | {:.2f} | {:.2f} |\n",
             one_block, b.ms_per_year / one_block);
  fmt::print("| bare loop: 3 purpose streams (a Philox4x64 block each) per cell-day, as per-purpose draws | {:.2f} | "
             "{:.2f} |\n",
             per_purpose, b.ms_per_year / per_purpose);
  return 0;
}
