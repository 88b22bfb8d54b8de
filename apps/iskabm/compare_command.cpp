// `iskabm compare BASE.h5 WHATIF.h5 [--csv OUT.csv] [--precision PCT]`: paired what-if minus
// baseline differences, each median with its Monte Carlo error, a difference whose 90 % interval
// holds zero labelled "no detectable effect", and the replicates a requested precision needs.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>

#include "apps/iskabm/commands.hpp"
#include "base/output_policy.hpp"
#include "base/errors.hpp"
#include "base/text_file.hpp"
#include "output/run_compare.hpp"

namespace iskabm::app {

std::string table_number(double x) {
  return std::abs(x) >= 100 || x == std::floor(x) ? fmt::format("{:.0f}", x) : fmt::format("{:.1f}", x);
}

std::string with_error(double median, double error) {
  if (std::isnan(error)) return table_number(median);
  return fmt::format("{} \u00b1{}", table_number(median),
                     error >= 10 ? fmt::format("{:.0f}", error) : fmt::format("{:.1f}", error));
}

std::string effect_label(const ComparisonRow& r) {
  if (!r.effect_detected()) return "no detectable effect";
  return r.diff_q05 > 0 ? "increase" : "decrease";
}

void register_compare_command(CLI::App& app, const GlobalOptions&, Action& action) {
  struct Options {
    std::string base, whatif, csv;
    std::size_t provinces = 5;
    double precision = 0;
    std::vector<std::string> precision_metrics;
  };
  auto opts = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("compare", "Paired differences of a what-if run against its baseline");
  cmd->add_option("baseline", opts->base, "Baseline result file")->required();
  cmd->add_option("whatif", opts->whatif, "What-if result file")->required();
  cmd->add_option("--csv", opts->csv, "Also write every row (all provinces and years) to this CSV file");
  cmd->add_option("--provinces", opts->provinces, "Provinces to print (most attacks in the baseline)");
  cmd->add_option("--precision", opts->precision,
                  "Say which headline differences are not yet known to PCT % of the baseline median (Monte Carlo "
                  "error), and how many replicates would get them there")
      ->check(CLI::Range(0.01, 1000.0));
  cmd->add_option("--precision-metric", opts->precision_metrics,
                  "A metric --precision covers (repeatable; default: attacks, attacks_observed, fatalities and the "
                  "focal group's members)");
  cmd->callback([&action, opts] {
    action = [opts] {
      check_outputs({{opts->csv, TargetKind::file, "--csv"}}, {opts->base, opts->whatif});
      const auto c = compare_runs(opts->base, opts->whatif);
      if (c.base_seed != c.whatif_seed)
        spdlog::warn("the runs have different seeds ({} and {}): replicates are paired but share no random numbers",
                     c.base_seed, c.whatif_seed);
      fmt::print(
          "what-if   {}\nbaseline  {}\npaired differences (what-if minus baseline) over {} replicates; "
          "medians and 50 % / 90 % intervals\n\n",
          c.whatif_title, c.base_title, c.replicates);
      // Provinces to show: most baseline attacks over the whole window.
      std::vector<std::pair<double, std::string>> provinces;
      const std::string window = c.rows.empty() ? "" : c.rows.front().period;
      for (const auto& r : c.rows)
        if (r.metric == "attacks" && r.period == window && r.scope != "all" && r.scope != "Afghanistan" &&
            r.scope != "Pakistan")
          provinces.emplace_back(r.base_median, r.scope);
      std::sort(provinces.begin(), provinces.end(), [](auto& a, auto& b) { return a.first > b.first; });
      if (provinces.size() > opts->provinces) provinces.resize(opts->provinces);
      const auto shown = [&](const ComparisonRow& r) {
        if (r.scope == "all" || r.scope == "Afghanistan" || r.scope == "Pakistan") return true;
        return r.period == window && (r.metric == "attacks" || r.metric == "attacks_observed") &&
               std::any_of(provinces.begin(), provinces.end(), [&](auto& p) { return p.second == r.scope; });
      };
      fmt::print("{:<18} {:<36} {:<10} {:>13} {:>13} {:>13}  {:>17}  {:>17}  {}\n", "metric", "scope", "period",
                 "baseline", "what-if", "diff", "50% interval", "90% interval", "effect");
      std::string previous;
      for (const auto& r : c.rows) {
        if (!shown(r)) continue;
        if (r.metric != previous) fmt::print("\n");
        previous = r.metric;
        fmt::print("{:<18} {:<36} {:<10} {:>13} {:>13} {:>13}  {:>17}  {:>17}  {}\n", r.metric, r.scope, r.period,
                   with_error(r.base_median, r.base_error), with_error(r.whatif_median, r.whatif_error),
                   with_error(r.diff_median, r.diff_error),
                   fmt::format("[{}, {}]", table_number(r.diff_q25), table_number(r.diff_q75)),
                   fmt::format("[{}, {}]", table_number(r.diff_q05), table_number(r.diff_q95)), effect_label(r));
      }
      fmt::print(
          "\n\u00b1: Monte Carlo standard error of the median (bootstrap over the {} replicates): how far it could "
          "move with other replicates.\n\"no detectable effect\": the paired differences' 90 % interval holds "
          "zero.\n",
          c.replicates);
      if (opts->precision > 0) {
        for (const auto& m : opts->precision_metrics)
          if (std::none_of(c.rows.begin(), c.rows.end(), [&](const ComparisonRow& r) { return r.metric == m; }))
            throw UsageError(fmt::format("--precision-metric {}: the files hold no such metric (they hold: {})", m,
                                         fmt::join(headline_metrics(c), ", ")));
        const auto shortfalls = precision_shortfalls(c, opts->precision, opts->precision_metrics);
        if (shortfalls.empty()) {
          fmt::print("\nevery headline difference is known to {} % of its baseline median with {} replicates\n",
                     opts->precision, c.replicates);
        } else {
          std::uint64_t needed = 0;
          fmt::print("\nnot yet known to {} % of the baseline median (Monte Carlo error > target):\n", opts->precision);
          for (const auto& s : shortfalls) {
            needed = std::max(needed, s.replicates_needed);
            fmt::print("  {:<18} {:<12} error {:.3g} > {:.3g}: about {} replicates\n", s.row->metric, s.row->scope,
                       s.row->diff_error, s.target, s.replicates_needed);
          }
          fmt::print(
              "about {} replicates (now {}) would know them all: add replicates with `iskabm sweep --precision` "
              "or run both scenarios again with --replicates\n",
              needed, c.replicates);
        }
      }
      if (!opts->csv.empty()) {
        write_text_file(opts->csv, comparison_csv(c));
        fmt::print("\nwrote {} rows to {}\n", c.rows.size(), opts->csv);
      }
      return 0;
    };
  });
}

}  // namespace iskabm::app
