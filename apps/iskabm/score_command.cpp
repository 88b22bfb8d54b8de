// `iskabm score --forecast RUN.h5 --observed SERIES.csv --train-end YYYY-MM`: CRPS, log score and
// interval coverage of a forecast ensemble and of three statistical baselines (docs/scoring.md).
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <optional>

#include "apps/iskabm/commands.hpp"
#include "base/output_policy.hpp"
#include "base/csv_writer.hpp"
#include "base/errors.hpp"
#include "base/text_file.hpp"
#include "calibration/forecast_score.hpp"
#include "calibration/observed_series.hpp"
#include "output/forecast_ensemble.hpp"

namespace iskabm::app {

namespace {

YearMonth month_option(const std::string& text, const char* option) {
  const auto m = parse_year_month(text);
  if (!m) throw UsageError(fmt::format("{} {}: expected a month as YYYY-MM", option, text));
  return *m;
}

// The result-file variable that counts what a series column counts.
std::string variable_for(const std::string& column) {
  if (column == "events_all" || column == "events") return "attacks_observed";
  if (column == "fatalities_all" || column == "fatalities") return "fatalities_observed";
  throw UsageError(
      fmt::format("--column {}: no variable of a result file counts these; choose one with --variable "
                  "({})",
                  column, fmt::join(forecast_variables(), ", ")));
}

void write_csv(const ScoreTable& t, const std::filesystem::path& path) {
  CsvWriter csv({"forecaster", "scope", "cases", "crps", "log_score", "coverage_50", "coverage_90", "forecast_total",
                 "observed_total", "train_start", "train_end", "test_start", "test_end", "variable", "column"});
  const auto g6 = [](double x) { return fmt::format("{:.6g}", x); };
  for (const auto& r : t.rows)
    csv.row(r.forecaster, r.scope, r.cases, g6(r.crps), g6(r.log_score), g6(r.coverage50), g6(r.coverage90),
            g6(r.forecast_total), g6(r.observed_total), to_string(t.train_start), to_string(t.train_end),
            to_string(t.test_start), to_string(t.test_end), t.variable, t.column);
  write_text_file(path, csv.text());
}

void print_table(const ScoreTable& t) {
  const bool district = t.format == SeriesFormat::district_month;
  const int test_months = months_between(t.test_start, t.test_end);
  fmt::print("forecast  {}: {}, {} replicates\n", t.forecast_source, t.variable, t.replicates);
  fmt::print("observed  {}: {} ({} series, {} {})\n", t.observed_source, t.column, to_string(t.format), t.units,
             district ? "districts" : "countries");
  fmt::print("training  {}..{} ({} months); test {}..{} ({} months)\n", to_string(t.train_start),
             to_string(t.train_end), months_between(t.train_start, t.train_end), to_string(t.test_start),
             to_string(t.test_end), test_months);
  fmt::print(
      "means over the {}-months of the test window; CRPS and log score: lower is better; coverage of the\n"
      "central 50 % / 90 % intervals: near 0.50 / 0.90 is calibrated; totals: sums over the test window\n\n",
      district ? "district" : "country");
  fmt::print("{:<17} {:<12} {:>6} {:>9} {:>9} {:>8} {:>8} {:>9} {:>9}\n", "forecaster", "scope", "cases", "CRPS",
             "log score", "cover50", "cover90", "forecast", "observed");
  std::string previous;
  for (const auto& r : t.rows) {
    if (!previous.empty() && r.forecaster != previous) fmt::print("\n");
    previous = r.forecaster;
    fmt::print("{:<17} {:<12} {:>6} {:>9.4f} {:>9.3f} {:>8.2f} {:>8.2f} {:>9.1f} {:>9.0f}\n", r.forecaster, r.scope,
               r.cases, r.crps, r.log_score, r.coverage50, r.coverage90, r.forecast_total, r.observed_total);
  }
  if (!t.conditioning.empty()) fmt::print("\nconditioned on the record (docs/scoring.md):\n  {}\n", t.conditioning);
  fmt::print("\nbaselines fitted to each country's monthly totals in the training window{}:\n",
             district ? " (split over districts by training shares)" : "");
  for (const auto& line : t.fitted) fmt::print("  {}\n", line);
}

}  // namespace

void register_score_command(CLI::App& app, const GlobalOptions&, Action& action) {
  struct Options {
    std::string forecast, observed, train_start = "2015-01", train_end, test_end, column, variable, csv;
    std::size_t samples = 2000;
    std::uint64_t seed = ScoreOptions{}.seed;
    int condition_months = ScoreOptions{}.condition_months;
  };
  auto opts = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "score", "Score a forecast ensemble against an observed monthly series, next to statistical baselines");
  cmd->footer(
      "Scores (CRPS, log score, 50 % / 90 % interval coverage) are means over the test months, per country and\n"
      "overall, for the model, the model conditioned on the last training months (its replicates weighted by how\n"
      "close they come to the record there), and three baselines fitted on the training months: seasonal naive,\n"
      "negative-binomial regression with trend and month effects, Hawkes process. Test months: after --train-end\n"
      "up to --test-end. See docs/scoring.md.");
  cmd->add_option("--forecast", opts->forecast, "Result file of `iskabm run` (the ensemble to score)")->required();
  cmd->add_option("--observed", opts->observed,
                  "Observed monthly series: a country-month or district-month CSV as in data/aggregates")
      ->required();
  cmd->add_option("--train-end", opts->train_end, "Last training month, YYYY-MM")->required();
  cmd->add_option("--train-start", opts->train_start, "First training month, YYYY-MM")->capture_default_str();
  cmd->add_option("--test-end", opts->test_end,
                  "Last test month, YYYY-MM (default: the last month in both the series and the forecast)");
  cmd->add_option("--column", opts->column,
                  "Count column of the series (default events_all / events; also fatalities_all / fatalities, "
                  "events_named_or_claimed)");
  cmd->add_option("--variable", opts->variable,
                  "Result-file variable to score (default: attacks_observed for event counts, fatalities_observed "
                  "for fatalities)");
  cmd->add_option("--csv", opts->csv, "Also write the table to this CSV file");
  cmd->add_option("--samples", opts->samples, "Monte Carlo samples of the Hawkes forecast")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{1'000'000}));
  cmd->add_option("--condition-months", opts->condition_months,
                  "Training months the conditioned model is weighted on (0: no model_conditioned row)")
      ->capture_default_str()
      ->check(CLI::Range(0, 600));
  cmd->add_option("--seed", opts->seed, "Seed of the Hawkes simulations and district splits (1 to 2^64-1)")
      ->capture_default_str()
      ->check(whole_number(1, max_seed));
  cmd->callback([&action, opts] {
    action = [opts] {
      check_outputs({{opts->csv, TargetKind::file, "--csv"}}, {opts->forecast, opts->observed});
      ScoreOptions o;
      o.train_start = month_option(opts->train_start, "--train-start");
      o.train_end = month_option(opts->train_end, "--train-end");
      if (!opts->test_end.empty()) o.test_end = month_option(opts->test_end, "--test-end");
      o.hawkes_samples = opts->samples;
      o.seed = opts->seed;
      o.condition_months = opts->condition_months;
      const auto series = load_observed_series(opts->observed, opts->column);
      const auto variable = opts->variable.empty() ? variable_for(series.column) : opts->variable;
      const auto first = conditioning_start(o);  // the first conditioning month, or the first test month
      const auto forecast = read_forecast_ensemble(opts->forecast, variable, CivilDate{first.year, first.month, 1});
      spdlog::info("scoring {} against {} ({}), fitting the baselines", forecast.source, series.source, series.column);
      const auto table = score_forecast(forecast, series, o);
      print_table(table);
      if (!opts->csv.empty()) {
        write_csv(table, opts->csv);
        fmt::print("\nwrote {} rows to {}\n", table.rows.size(), opts->csv);
      }
      return 0;
    };
  });
}

}  // namespace iskabm::app
