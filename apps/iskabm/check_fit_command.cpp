// `iskabm check-fit RUN.h5 [--districts N] [--csv OUT.csv]`: the posterior predictive check of a
// run against the observed record (docs/calibration.md): every summary statistic and the top
// observed districts, observed against the replicates' median and 90 % interval.
#include <fmt/format.h>

#include <cmath>

#include "apps/iskabm/commands.hpp"
#include "base/output_policy.hpp"
#include "base/csv_writer.hpp"
#include "base/errors.hpp"
#include "base/text_file.hpp"
#include "calibration/calibration_spec.hpp"
#include "calibration/predictive_check.hpp"
#include "calibration/validation_figures.hpp"
#include "io/observed_data.hpp"

namespace iskabm::app {

namespace {

std::string number(double x) {
  if (!std::isfinite(x)) return "-";
  if (std::abs(x) >= 100 || x == std::floor(x)) return fmt::format("{:.0f}", x);
  return std::abs(x) >= 1 ? fmt::format("{:.1f}", x) : fmt::format("{:.3f}", x);
}

// The rows with the misfits first (outside the 90 % interval, then not simulated), each group in
// file order. Statistics are shown by what they measure, districts by id with their name beside.
void print_rows(const std::vector<PredictiveRow>& rows, const char* what, bool districts) {
  std::vector<const PredictiveRow*> order;
  for (int pass = 0; pass < 3; ++pass)
    for (const auto& r : rows) {
      const int kind = r.replicates == 0 ? 1 : r.inside_90() ? 2 : 0;
      if (kind == pass) order.push_back(&r);
    }
  const std::size_t width = districts ? 46 : 66;
  fmt::print("{:<{}} {:>9} {:>9} {:>9} {:>9} {:>6}  {}\n", what, width, "observed", "median", "5%", "95%", "rank",
             districts ? "district" : "");
  for (const auto* r : order)
    fmt::print("{:<{}} {:>9} {:>9} {:>9} {:>9} {:>6.2f}  {}{}\n", districts ? r->name : r->label, width,
               number(r->observed), number(r->median), number(r->q05), number(r->q95), r->rank,
               r->replicates == 0 ? "not simulated  "
               : r->inside_90()   ? ""
                                  : "MISS: outside 90 %  ",
               districts ? r->label : "");
}

void print_validation(const ValidationCheck& v, const std::string& spec) {
  fmt::print("\nvalidation figures (declared validation only in {}; never calibrated)\n", spec);
  fmt::print("{:<6} {:<84} {:>13} {:>9} {:>9} {:>9}\n", "figure", "quantity of the run", "figure", "median", "5%",
             "95%");
  std::size_t consistent = 0;
  for (const auto& r : v.rows) {
    const auto range = r.low == r.high ? number(r.low) : fmt::format("{}-{}", number(r.low), number(r.high));
    fmt::print("{:<6} {:<84} {:>13} {:>9} {:>9} {:>9}  {}\n", r.id, r.quantity, range, number(r.median), number(r.q05),
               number(r.q95), r.consistent() ? "" : "outside 90 %");
    consistent += r.consistent();
  }
  fmt::print("{} of {} validation figures meet the simulated 90 % interval\n", consistent, v.rows.size());
  if (!v.outside_window.empty())
    fmt::print("not covered by this run's window{}: {}\n", v.events_stored ? "" : " or its stored events",
               fmt::join(v.outside_window, ", "));
  if (!v.not_modelled.empty()) fmt::print("not modelled: {}\n", fmt::join(v.not_modelled, "; "));
}

void write_csv(const PredictiveCheck& c, const ValidationCheck& v, const std::filesystem::path& path) {
  CsvWriter csv({"kind", "name", "label", "observed", "median", "q05", "q95", "rank", "inside_90", "replicates"});
  for (const auto* rows : {&c.statistics, &c.districts})
    for (const auto& r : *rows)
      csv.row(rows == &c.statistics ? "statistic" : "district", r.name, r.label, r.observed, r.median, r.q05, r.q95,
              r.rank, r.inside_90() ? 1 : 0, r.replicates);
  // Validation figures: `observed` is the figure's midpoint, `label` its range and quantity.
  for (const auto& r : v.rows)
    csv.row("validation", r.id, fmt::format("{} [{}, {}]", r.quantity, r.low, r.high), 0.5 * (r.low + r.high), r.median,
            r.q05, r.q95, "", r.consistent() ? 1 : 0, r.replicates);
  write_text_file(path, csv.text());
}

}  // namespace

void register_check_fit_command(CLI::App& app, const GlobalOptions& global, Action& action) {
  struct Options {
    std::string run, csv, spec;
    std::size_t districts = 10;
  };
  auto opts = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("check-fit", "Posterior predictive check of a run against the observed record");
  cmd->add_option("run", opts->run, "Result file (e.g. of `run --posterior`)")->required();
  cmd->add_option("--districts", opts->districts, "Top observed districts to compare (default 10)")
      ->check(CLI::Range(0, 546));
  cmd->add_option("--csv", opts->csv, "Also write the rows to this CSV file");
  cmd->add_option("--spec", opts->spec,
                  "Calibration spec whose [figures] validation list is checked (default: calibration/default.toml)")
      ->check(CLI::ExistingFile);
  cmd->callback([&global, &action, opts] {
    action = [&global, opts] {
      check_outputs({{opts->csv, TargetKind::file, "--csv"}}, {opts->run, opts->spec, resolve_data_dir(global)});
      const auto data = load_observed_data(resolve_data_dir(global));
      const auto c = predictive_check(opts->run, data, opts->districts);
      std::size_t inside = 0, compared = 0;
      for (const auto& r : c.statistics) inside += r.inside_90(), compared += r.replicates > 0;
      fmt::print(
          "{}: {} replicates, {}\nobserved against the replicates' median and 90 % interval; rank = share "
          "of replicates below the observed value\n\n",
          c.title, c.replicates, c.window);
      print_rows(c.statistics, "statistic (misfits first)", false);
      fmt::print("\n");
      print_rows(c.districts, "observed attacks by district (misfits first)", true);
      fmt::print("\n{} of {} statistics inside their 90 % interval\n", inside, compared);
      const auto spec = opts->spec.empty() ? default_calibration_spec_path().string() : opts->spec;
      const auto validation = check_validation_figures(opts->run, data.figures, calibration_validation_figures(spec));
      print_validation(validation, spec);
      if (!opts->csv.empty()) write_csv(c, validation, opts->csv);
      return 0;
    };
  });
}

}  // namespace iskabm::app
