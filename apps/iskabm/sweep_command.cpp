// `iskabm sweep SWEEP.toml`: a grid or list of scenario variants, each run like `iskabm run`
// (session/sweep_runner.hpp), then a summary table of the headline metrics.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "apps/iskabm/commands.hpp"
#include "session/sweep_runner.hpp"

namespace iskabm::app {

namespace {

struct SweepOptions {
  std::string file;
  std::string output;
  std::uint64_t replicates = 0;
  int threads = 0;
  std::int64_t variant = -1;
  bool list = false, collect = false, no_progress = false, quiet = false;
  double precision = 0;
  std::vector<std::string> precision_metrics;
  std::uint64_t max_replicates = 0;
};

// The headline table: observed and joint attacks over the window, all districts.
void print_summary(const SweepRunner& runner, const SweepSummary& s) {
  const auto& sweep = runner.sweep();
  const auto& variants = runner.variants();
  const auto& rows = s.rows;
  const auto& summary = s.file;
  const auto reference = std::find_if(variants.begin(), variants.end(), [](const auto& v) { return v.reference; });

  const auto find = [&](const std::string& variant, const char* metric) -> const SweepSummaryRow* {
    for (const auto& r : rows)
      if (r.variant == variant && r.metric == metric && r.scope == "all") return &r;
    return nullptr;
  };
  const auto value = [&](const SweepSummaryRow* r) {
    return r ? with_error(r->median, r->median_error) +
                   fmt::format(" [{}, {}]", table_number(r->q05), table_number(r->q95))
             : "-";
  };
  const auto difference = [&](const SweepSummaryRow* r) {
    if (!r || !r->difference_median) return std::string("-");
    const bool none = *r->difference_q05 <= 0 && *r->difference_q95 >= 0 && r->variant != "reference";
    return with_error(*r->difference_median, r->difference_error.value_or(std::nan(""))) +
           fmt::format(" [{}, {}]{}", table_number(*r->difference_q05), table_number(*r->difference_q95),
                       none ? " no detectable effect" : "");
  };
  const bool has_reference = reference != variants.end();
  std::size_t name_width = 7;
  for (const auto& v : variants) name_width = std::max(name_width, v.name.size());
  std::vector<std::size_t> axis_width;
  for (std::size_t a = 0; a < sweep.axes().size(); ++a) {
    axis_width.push_back(sweep.axes()[a].size());
    for (const auto& v : variants)
      if (a < v.labels.size()) axis_width[a] = std::max(axis_width[a], v.labels[a].size());
  }
  const auto& first = rows.front();
  fmt::print("{}: {} variant(s), {} replicate(s) each, {}\n", sweep.title(), variants.size(), first.replicates,
             first.period);
  fmt::print("all districts: median \u00b1Monte Carlo error [90 % interval]{}\n\n",
             has_reference
                 ? "; difference: paired, variant minus reference (\"no detectable effect\": its 90 % interval "
                   "holds zero)"
                 : "");
  const auto line = [&](const std::string& name, const std::vector<std::string>& labels,
                        const std::array<std::string, 4>& cells) {
    std::string out = fmt::format("{:<{}}", name, name_width);
    for (std::size_t a = 0; a < axis_width.size(); ++a)
      out += fmt::format("  {:<{}}", a < labels.size() ? labels[a] : "", axis_width[a]);
    out += fmt::format("  {:>26}", cells[0]);
    if (has_reference) out += fmt::format("  {:<46}", cells[1]);
    out += fmt::format("  {:>26}", cells[2]);
    if (has_reference) out += fmt::format("  {:<46}", cells[3]);
    while (!out.empty() && out.back() == ' ') out.pop_back();
    fmt::print("{}\n", out);
  };
  line("variant", sweep.axes(), {"observed attacks", "difference", "joint attacks", "difference"});
  for (const auto& v : variants) {
    const auto* observed = find(v.name, "attacks_observed");
    const auto* joint = find(v.name, "joint_attacks");
    line(v.name, v.labels, {value(observed), difference(observed), value(joint), difference(joint)});
  }
  fmt::print("\nwrote {} ({} rows: every variant x metric x scope)\n", summary.string(), rows.size());
}

}  // namespace

void register_sweep_command(CLI::App& app, const GlobalOptions& global, Action& action) {
  auto opts = std::make_shared<SweepOptions>();
  auto* cmd = app.add_subcommand(
      "sweep",
      "Run a grid or list of scenario variants, one result file each, and collect a summary (docs/cluster.md)");
  cmd->add_option("sweep", opts->file, "Sweep file (TOML: base scenario, axes and levels, or a list of variants)")
      ->required();
  cmd->add_option("-o,--output", opts->output, "The sweep's directory (default: results/<sweep name>)");
  cmd->add_option("--replicates", opts->replicates,
                  "Replicates of every run (default: the sweep file's replicates, else the base scenario's)")
      ->check(whole_number(1, 10000000));
  cmd->add_option("--threads", opts->threads, "Worker threads (default: all cores available)")
      ->check(CLI::Range(1, 1024))
      ->envname("ISKABM_THREADS");
  auto* list = cmd->add_flag("--list", opts->list,
                             "Write the generated scenarios and print one line per variant: index, name, scenario, "
                             "result file; run nothing");
  auto* variant = cmd->add_option("--variant", opts->variant,
                                  "Run only variant K (0-based, as --list numbers them: a job array's task id)")
                      ->check(CLI::NonNegativeNumber);
  auto* collect_flag =
      cmd->add_flag("--collect", opts->collect, "Only collect the summary from the variants' existing result files");
  list->excludes(variant)->excludes(collect_flag);
  variant->excludes(collect_flag);
  auto* precision =
      cmd->add_option("--precision", opts->precision,
                      "Add replicates to every variant in whole chunks (--replicates each) until every headline "
                      "difference is known to PCT % of the reference's median (its Monte Carlo error); the files "
                      "stay byte for byte those of a single run of all the replicates")
          ->check(CLI::Range(0.01, 1000.0));
  cmd->add_option("--precision-metric", opts->precision_metrics,
                  "A metric --precision covers (repeatable; default: attacks, attacks_observed, fatalities and the "
                  "focal group's members)")
      ->needs(precision);
  cmd->add_option("--max-replicates", opts->max_replicates,
                  "With --precision: the most replicates per variant (default: 20 chunks)")
      ->check(whole_number(1, 10000000))
      ->needs(precision);
  precision->excludes(list)->excludes(variant)->excludes(collect_flag);
  cmd->add_flag("--no-progress", opts->no_progress, "No progress bar (log lines instead)");
  cmd->add_flag("-q,--quiet", opts->quiet, "Do not print the summary table");
  cmd->callback([&global, &action, opts] {
    action = [&global, opts] {
      const auto& o = *opts;
      const auto data = load_observed_data(resolve_data_dir(global));
      SweepRunner runner(data, SweepRequest{.file = o.file,
                                            .output = o.output,
                                            .replicates = o.replicates,
                                            .threads = o.threads,
                                            .variant = o.variant,
                                            .no_progress = o.no_progress,
                                            .precision = o.precision,
                                            .precision_metrics = o.precision_metrics,
                                            .max_replicates = o.max_replicates});
      if (o.list) {
        for (const auto& v : runner.variants())
          fmt::print("{}\t{}\t{}\t{}\n", v.index, v.name, runner.layout().scenario(v, runner.sweep()).string(),
                     runner.layout().output(v).string());
        return 0;
      }
      if (!o.collect) {
        if (const int rc = runner.run(); rc != 0 || o.variant >= 0) return rc;
      }
      const auto summary = runner.summary() ? *runner.summary() : runner.collect();
      if (!o.quiet) print_summary(runner, summary);
      return 0;
    };
  });
}

}  // namespace iskabm::app
