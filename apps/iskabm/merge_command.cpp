// `iskabm merge SHARD.h5... -o OUT.h5`: the shards of one ensemble (`run --shard K/N`) joined
// into the file the single run of all its replicates writes, byte for byte (docs/cluster.md).
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <optional>

#include "apps/iskabm/commands.hpp"
#include "base/output_policy.hpp"
#include "base/errors.hpp"
#include "ensemble/progress.hpp"
#include "io/observed_data.hpp"
#include "output/run_merge.hpp"
#include "session/stop_signals.hpp"

namespace iskabm::app {


void register_merge_command(CLI::App& app, const GlobalOptions& global, Action& action) {
  struct Options {
    std::vector<std::string> inputs;
    std::string output;
    bool no_progress = false, quiet = false;
  };
  auto opts = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "merge", "Join the shards of an ensemble (run --shard K/N) into the file of the whole run (docs/cluster.md)");
  cmd->add_option("shards", opts->inputs,
                  "Result files of `iskabm run --shard K/N` (any order), or of plain runs of "
                  "adjacent replicate ranges")
      ->required();
  cmd->add_option("-o,--output", opts->output, "The merged result file")->required();
  cmd->add_flag("--no-progress", opts->no_progress, "No progress bar (log lines instead)");
  cmd->add_flag("-q,--quiet", opts->quiet, "Print nothing on success");
  cmd->callback([&global, &action, opts] {
    action = [&global, opts] {
      const std::filesystem::path output = opts->output;
      std::vector<std::filesystem::path> inputs(opts->inputs.begin(), opts->inputs.end());
      inputs.push_back(resolve_data_dir(global));
      check_outputs({{output, TargetKind::file, "-o"}}, inputs);
      const auto data = load_observed_data(resolve_data_dir(global));
      const RunMerge merge({opts->inputs.begin(), opts->inputs.end()}, data, default_parameters_path());
      spdlog::info("merging {} file(s), replicates {}-{}: {}", opts->inputs.size(), merge.first_replicate(),
                   merge.first_replicate() + merge.replicates() - 1, merge.history());
      std::optional<StopSignals> signals(std::in_place);
      Progress progress("merge", merge.replicates(), !opts->no_progress && ::isatty(2));
      const bool whole = merge.write(output, signals->flag(), [&](std::uint64_t done) { progress.advance(done); });
      progress.finish();
      if (!whole) {
        spdlog::warn("interrupted: nothing written");
        return signals->exit_code();
      }
      if (!opts->quiet)
        fmt::print("merged {} file(s) into {}: replicates {}-{} ({})\n", opts->inputs.size(), output.string(),
                   merge.first_replicate(), merge.first_replicate() + merge.replicates() - 1, merge.history());
      return 0;
    };
  });
}

}  // namespace iskabm::app
