// `iskabm history-match SPEC.toml`: waves of simulations that rule out the parameter values whose
// implausibility exceeds the cut-off (calibration/history_matching.hpp); the region left bounds
// `calibrate --from-history-match`. The result file is the checkpoint: the same command continues.
#include <fmt/format.h>

#include <cmath>

#include "apps/iskabm/commands.hpp"
#include "base/output_policy.hpp"
#include "base/errors.hpp"
#include "session/history_match_session.hpp"

namespace iskabm::app {

namespace {

void print_region(const HistoryMatchRecord& r) {
  fmt::print("\nhistory match: {} wave(s), {} ({} implausibility, cut-off {})\n", r.waves.size(), r.status,
             implausibility_rank_name(r.options.rank), r.options.cutoff);
  fmt::print("{:>5} {:>8} {:>12} {:>14} {:>12}\n", "wave", "points", "simulations", "non-implaus.", "region");
  for (const auto& w : r.waves)
    fmt::print("{:>5} {:>8} {:>12} {:>13.1f}% {:>12.3g}\n", w.index, w.design.size(), w.simulations,
               100 * w.non_implausible_fraction, w.region_fraction);
  const auto lo = r.lower(), hi = r.upper();
  fmt::print("\n{:<34} {:>12} {:>12}   {:>12} {:>12}  {:>7}\n", "parameter", "prior low", "prior high", "region low",
             "region high", "kept");
  for (std::size_t i = 0; i < r.priors.size(); ++i) {
    const auto& p = r.priors[i];
    const double plo = p.quantile(0.0005), phi = p.quantile(0.9995);
    fmt::print("{:<34} {:>12.4g} {:>12.4g}   {:>12.4g} {:>12.4g}  {:>6.0f}%\n", r.parameter_keys[i],
               std::isfinite(p.lower()) ? p.lower() : plo, std::isfinite(p.upper()) ? p.upper() : phi,
               lo[i] > 0 ? p.quantile(lo[i]) : (std::isfinite(p.lower()) ? p.lower() : plo),
               hi[i] < 1 ? p.quantile(hi[i]) : (std::isfinite(p.upper()) ? p.upper() : phi), 100 * (hi[i] - lo[i]));
  }
  fmt::print("(kept: the region's share of the parameter's prior probability)\n");
}

}  // namespace

void register_history_match_command(CLI::App& app, const GlobalOptions& global, Action& action) {
  auto req = std::make_shared<HistoryMatchRequest>();
  auto spec = std::make_shared<std::string>();
  auto output = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand(
      "history-match", "Rule out implausible parameter values in waves of simulations before calibrating (ABC-SMC)");
  cmd->add_option("spec", *spec, "Calibration spec (TOML): its priors, statistics and [history_match] table")
      ->required();
  cmd->add_option("-o,--output", *output, "Result file (default: results/<spec name>_history_match.h5)");
  cmd->add_option("--waves", req->waves, "Override the spec's number of waves")->check(CLI::Range(1, 100));
  cmd->add_option("--points", req->points, "Override the points per wave")->check(CLI::Range(1, 10000000));
  cmd->add_option("--replicates", req->replicates, "Override the replicates per point (at least 2)")
      ->check(CLI::Range(2, 10000));
  cmd->add_option("--cutoff", req->cutoff, "Override the implausibility cut-off (default 3)")
      ->check(CLI::Range(0.5, 100.0));
  cmd->add_option("--threads", req->threads, "Worker threads (default: all cores available)")
      ->check(CLI::Range(1, 1024))
      ->envname("ISKABM_THREADS");
  cmd->callback([&global, &action, req, spec, output] {
    action = [&global, req, spec, output] {
      req->spec = *spec;
      req->output = *output;
      auto inputs = spec_inputs(*spec);
      inputs.push_back(resolve_data_dir(global));
      check_outputs({{*output, TargetKind::file, "-o"}}, inputs);
      const auto outcome = run_history_match_session(resolve_data_dir(global), *req);
      if (outcome.interrupted) return outcome.exit_code;
      print_region(outcome.record);
      fmt::print("wrote {}\n", outcome.output.string());
      if (outcome.record.status == "exhausted") {
        fmt::print(stderr,
                   "no point of the last wave is non-implausible: the model cannot match the record under the declared "
                   "discrepancy (see docs/calibration.md, History matching)\n");
        return static_cast<int>(ExitCode::data);
      }
      return outcome.exit_code;
    };
  });
}

}  // namespace iskabm::app
