// iskabm: the command-line program. A thin layer: parse arguments, call the library, map errors
// to exit codes (in exactly one place: here).
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <system_error>

#include "apps/iskabm/commands.hpp"
#include "base/errors.hpp"
#include "iskabm/build_info.hpp"

namespace iskabm::app {

std::filesystem::path resolve_data_dir(const GlobalOptions& global) { return data_directory(global.data_dir); }

}  // namespace iskabm::app

namespace {

constexpr const char* footer = R"(Exit codes:
  0   success
  64  usage error (unknown option, missing argument)
  65  bad input data (data file, scenario or parameter file; result files that do not merge); the
      message names file, line and field
  69  a required external package is missing (report: the Python plotting packages)
  70  internal error (a bug: please report it)
  74  I/O error (a file could not be read or written; the message names it and the reason)
  75  the output is being written by another process (nothing was changed; try again later)

Environment:
  ISKABM_DATA_DIR        data directory used when --data is not given
  ISKABM_PYTHON          the Python interpreter `report` runs (default /usr/bin/python3)
  HDF5_USE_FILE_LOCKING  set to FALSE on parallel file systems that do not support locking)";

}  // namespace

int main(int argc, char** argv) {
  using namespace iskabm;
  app::GlobalOptions global;
  app::Action action;
  for (int i = 0; i < argc; ++i) global.command_line += (i ? " " : "") + std::string(argv[i]);

  CLI::App cli{"iskabm: agent-based model of Islamic State Khorasan and allied cells in Afghanistan and Pakistan",
               "iskabm"};
  cli.set_version_flag("--version", fmt::format("iskabm {} (git {})", build_info::version, build_info::git_commit));
  cli.require_subcommand(1);
  cli.fallthrough();  // global options may also follow the subcommand: iskabm data check --data DIR
  cli.add_option("--data", global.data_dir, "Data directory (default: $ISKABM_DATA_DIR, else the bundled data/)");
  cli.add_option("--log-level", global.log_level, "Logging level")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
  app::register_data_commands(cli, global, action);
  app::register_run_commands(cli, global, action);
  app::register_merge_command(cli, global, action);
  app::register_sweep_command(cli, global, action);
  app::register_parameters_command(cli, global, action);
  app::register_schema_command(cli, global, action);
  app::register_check_command(cli, global, action);
  app::register_compare_command(cli, global, action);
  app::register_calibrate_command(cli, global, action);
  app::register_check_fit_command(cli, global, action);
  app::register_coverage_command(cli, global, action);
  app::register_sensitivity_command(cli, global, action);
  app::register_history_match_command(cli, global, action);
  app::register_score_command(cli, global, action);
  app::register_export_command(cli, global, action);
  app::register_report_command(cli, global, action);
  cli.footer(footer);  // after the subcommands: they would inherit it, and the footer belongs to the top-level help

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = cli.exit(e);
    if (rc != 0)
      for (const auto& hint : app::suggestions(cli, argc, argv)) fmt::print(stderr, "{}\n", hint);
    return rc == 0 ? 0 : static_cast<int>(ExitCode::usage);
  }
  // Logs go to stderr (stdout carries results); colour only on a terminal.
  spdlog::set_default_logger(spdlog::stderr_color_mt("iskabm"));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  spdlog::set_level(spdlog::level::from_str(global.log_level));
  // -q: only errors (and what the command prints as its result), unless --log-level says otherwise.
  for (const auto* sub : cli.get_subcommands())
    if (const auto* quiet = sub->get_option_no_throw("--quiet"); quiet && quiet->count() > 0 && cli.count("--log-level") == 0)
      spdlog::set_level(spdlog::level::err);

  // An error leaves through std::_Exit once its message is out and every destructor has run:
  // HDF5's exit handler crashes closing a file whose last write failed (a full disk), which would
  // turn a clear exit 74 into a segmentation fault.
  const auto leave = [](ExitCode code) {
    std::fflush(nullptr);
    std::_Exit(static_cast<int>(code));
  };
  try {
    return action ? action() : 0;
  } catch (const Error& e) {
    fmt::print(stderr, "iskabm: error: {}\n", e.what());
    leave(e.exit_code());
  } catch (const std::filesystem::filesystem_error& e) {
    fmt::print(stderr, "iskabm: error: {}\n", e.what());
    leave(ExitCode::io);
  } catch (const std::system_error& e) {  // writing the results to stdout failed (fmt::print)
    fmt::print(stderr, "iskabm: error: cannot write the output: {}\n", e.what());
    leave(ExitCode::io);
  } catch (const std::exception& e) {
    fmt::print(stderr, "iskabm: internal error: {}\n", e.what());
    leave(ExitCode::internal);
  }
}
