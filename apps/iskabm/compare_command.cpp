// `iskabm compare BASE.h5 WHATIF.h5 [--csv OUT.csv]`: paired what-if minus baseline differences.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "apps/iskabm/commands.hpp"
#include "base/errors.hpp"
#include "base/text_file.hpp"
#include "output/run_compare.hpp"

namespace iskabm::app {

std::string table_number(double x) {
  return std::abs(x) >= 100 || x == std::floor(x) ? fmt::format("{:.0f}", x) : fmt::format("{:.1f}", x);
}

void register_compare_command(CLI::App& app, const GlobalOptions&, Action& action) {
  struct Options {
    std::string base, whatif, csv;
    std::size_t provinces = 5;
  };
  auto opts = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("compare", "Paired differences of a what-if run against its baseline");
  cmd->add_option("baseline", opts->base, "Baseline result file")->required();
  cmd->add_option("whatif", opts->whatif, "What-if result file")->required();
  cmd->add_option("--csv", opts->csv, "Also write every row (all provinces and years) to this CSV file");
  cmd->add_option("--provinces", opts->provinces, "Provinces to print (most attacks in the baseline)");
  cmd->callback([&action, opts] {
    action = [opts] {
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
      fmt::print("{:<18} {:<36} {:<10} {:>9} {:>9} {:>9}  {:>17}  {:>17}\n", "metric", "scope", "period", "baseline",
                 "what-if", "diff", "50% interval", "90% interval");
      std::string previous;
      for (const auto& r : c.rows) {
        if (!shown(r)) continue;
        if (r.metric != previous) fmt::print("\n");
        previous = r.metric;
        fmt::print("{:<18} {:<36} {:<10} {:>9} {:>9} {:>9}  {:>17}  {:>17}\n", r.metric, r.scope, r.period,
                   table_number(r.base_median), table_number(r.whatif_median), table_number(r.diff_median),
                   fmt::format("[{}, {}]", table_number(r.diff_q25), table_number(r.diff_q75)),
                   fmt::format("[{}, {}]", table_number(r.diff_q05), table_number(r.diff_q95)));
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
