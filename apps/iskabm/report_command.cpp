// `iskabm report INPUT.h5 [--baseline BASE.h5] [--observed DIR] -o REPORT_DIR`: figures and an
// HTML page for a result file of `run` or a posterior file of `calibrate`. The C++ side checks
// the inputs and stages the output directory; report/iskabm_report.py (matplotlib, xarray,
// geopandas from Debian, through /usr/bin/python3) draws the figures.
#include <fmt/format.h>
#include <signal.h>
#include <spawn.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "apps/iskabm/commands.hpp"
#include "base/output_policy.hpp"
#include "base/errors.hpp"
#include "base/text_file.hpp"
#include "calibration/posterior_file.hpp"
#include "iskabm/build_info.hpp"
#include "output/hdf5.hpp"
#include "output/run_compare.hpp"
#include "output/run_file.hpp"
#include "output/staged_directory.hpp"
#include "session/stop_signals.hpp"

extern char** environ;

namespace iskabm::app {

namespace fs = std::filesystem;

namespace {

// The script failed with its own exit code (it printed the reason on stderr).
class ReportScriptError : public Error {
 public:
  ReportScriptError(const std::string& what, ExitCode code) : Error(what), code_(code) {}
  [[nodiscard]] ExitCode exit_code() const noexcept override { return code_; }

 private:
  ExitCode code_;
};

enum class InputKind { run, posterior, sensitivity };

// What INPUT is: a complete result file of `run`, or a posterior file of `calibrate` with at
// least one complete generation. Anything else is an IoError naming the file.
InputKind classify(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) throw IoError(fmt::format("{}: no such file", path.string()));
  h5::silence_error_printing();
  bool run = false, posterior = false;
  {
    const auto file = h5::open_read_only(path);  // a regular file, not an interrupted run's .tmp
    run = h5::has_attribute(file, "replicates_complete") && h5::has_attribute(file, "configuration_toml");
    posterior = h5::has_attribute(file, "calibration_toml") && H5Lexists(file, "generations", H5P_DEFAULT) > 0;
    if (h5::has_attribute(file, "source") && h5::read_string_attribute(file, "source") == "iskabm sensitivity") {
      const auto status =
          h5::has_attribute(file, "status") ? h5::read_string_attribute(file, "status") : std::string("finished");
      if (status != "finished")
        throw IoError(fmt::format("{}: the sensitivity study is {}: continue it with iskabm sensitivity --resume "
                                  "(a checkpoint has no indices to report)",
                                  path.string(), status));
      return InputKind::sensitivity;
    }
  }
  if (run) {
    RunFileReader(path).require_complete();
    return InputKind::run;
  }
  if (posterior) {
    const auto record = read_posterior_file(path);
    if (record.generations.empty())
      throw IoError(fmt::format("{}: the calibration has no complete generation yet", path.string()));
    if (record.status == "running")
      spdlog::warn("{}: the calibration is still running (or was killed); reporting its {} complete generation(s)",
                   path.string(), record.generations.size());
    return InputKind::posterior;
  }
  throw IoError(fmt::format(
      "{}: not an iskabm result file (iskabm run), posterior file (iskabm calibrate) or sensitivity file (iskabm "
      "sensitivity)",
      path.string()));
}

// Runs the script and waits; SIGINT / SIGTERM to iskabm are passed on to it.
int run_script(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  StopSignals stop;
  pid_t pid = 0;
  if (const int rc = posix_spawnp(&pid, args[0], nullptr, nullptr, args.data(), environ); rc != 0)
    throw UnavailableError(
        fmt::format("cannot start {}: {} (iskabm report needs Python 3 with matplotlib, xarray "
                    "and geopandas: apt-get install python3 python3-matplotlib python3-xarray "
                    "python3-geopandas python3-h5py python3-netcdf4)",
                    argv[0], std::strerror(rc)));
  bool forwarded = false;
  for (;;) {
    int status = 0;
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) {
      if (stop.requested()) return stop.exit_code();
      if (WIFEXITED(status)) return WEXITSTATUS(status);
      return 128 + WTERMSIG(status);
    }
    if (done < 0 && errno != EINTR) throw IoError(fmt::format("waiting for {}: {}", argv[0], std::strerror(errno)));
    if (stop.requested() && !forwarded) {
      kill(pid, SIGTERM);
      forwarded = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::string python_interpreter(const std::string& option) {
  if (!option.empty()) return option;
  if (const char* env = std::getenv("ISKABM_PYTHON"); env && *env) return env;
  return "/usr/bin/python3";
}

}  // namespace

void register_report_command(CLI::App& app, const GlobalOptions& global, Action& action) {
  struct Options {
    std::string input, baseline, observed, directory, python;
    bool quiet = false;
  };
  auto opts = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("report", "Figures and an HTML page for a result or posterior file (docs/report.md)");
  cmd->add_option("input", opts->input,
                  "Result file of `iskabm run`, posterior file of `iskabm calibrate`, or result file of `iskabm "
                  "sensitivity`")
      ->required();
  cmd->add_option("--baseline", opts->baseline,
                  "Baseline result file: adds the paired what-if minus baseline differences (as `compare`)");
  cmd->add_option("--observed", opts->observed, "Data directory with the observed record (default: the bundled data)");
  cmd->add_option("-o,--output", opts->directory, "Report directory (replaced whole when the report succeeds)")
      ->required();
  cmd->add_option("--python", opts->python, "Python interpreter (default: $ISKABM_PYTHON, else /usr/bin/python3)");
  cmd->add_flag("-q,--quiet", opts->quiet, "Print nothing on success");
  cmd->callback([&action, &global, opts] {
    action = [&global, opts] {
      const auto kind = classify(opts->input);
      if (!opts->baseline.empty() && kind != InputKind::run)
        throw UsageError("--baseline compares two result files of `iskabm run`; the input is not one");
      const fs::path observed = opts->observed.empty() ? resolve_data_dir(global) : fs::path(opts->observed);
      check_outputs({{opts->directory, TargetKind::replaced_directory, "-o"}},
                    {opts->input, opts->baseline, observed});
      const fs::path script = fs::path(build_info::source_dir) / "report" / "iskabm_report.py";
      if (!fs::is_regular_file(script)) throw IoError(fmt::format("{}: the report script is missing", script.string()));

      StagedDirectory out(opts->directory);
      std::vector<std::string> argv = {python_interpreter(opts->python),
                                       script.string(),
                                       "--input",
                                       opts->input,
                                       "--kind",
                                       kind == InputKind::run         ? "run"
                                       : kind == InputKind::posterior ? "posterior"
                                                                      : "sensitivity",
                                       "--observed",
                                       observed.string(),
                                       "--output",
                                       out.path().string()};
      if (!opts->baseline.empty()) {
        RunFileReader(opts->baseline).require_complete();
        const auto comparison = compare_runs(opts->baseline, opts->input);
        const auto csv = out.path() / "differences.csv";
        write_text_file(csv, comparison_csv(comparison));
        for (const auto& a : {std::string("--baseline"), opts->baseline, std::string("--differences"), csv.string()})
          argv.push_back(a);
      }
      if (!opts->quiet && spdlog::should_log(spdlog::level::info)) argv.emplace_back("--progress");  // a line per figure
      spdlog::debug("running: {}", fmt::join(argv, " "));
      const int rc = run_script(argv);
      if (rc == 69) throw UnavailableError("the report's Python packages are missing (see the message above)");
      if (rc != 0) {
        if (rc > 128) return rc;  // interrupted: nothing written
        throw ReportScriptError(fmt::format("the report script failed (exit {}; see the message above)", rc),
                                rc == 65 ? ExitCode::data : ExitCode::internal);
      }
      std::ifstream manifest(out.path() / "figures.tsv");
      if (!manifest || !fs::is_regular_file(out.path() / "report.html"))
        throw ReportScriptError("the report script wrote no figures.tsv or report.html", ExitCode::internal);
      std::vector<std::string> lines;
      for (std::string line; std::getline(manifest, line);)
        if (!line.empty()) lines.push_back(line);
      out.commit();
      if (!opts->quiet) {
        fmt::print("wrote {} figure(s) and report.html to {}/\n", lines.size(), out.target().string());
        for (const auto& line : lines) {
          const auto tab = line.find('\t'), tab2 = line.find('\t', tab + 1);
          fmt::print("  {:<26} {}\n", line.substr(0, tab), line.substr(tab + 1, tab2 - tab - 1));
        }
      }
      return 0;
    };
  });
}

}  // namespace iskabm::app
