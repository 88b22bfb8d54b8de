// `iskabm export RUN.h5 --csv OUT_DIR [--dense]`: a result file as tidy long CSV tables.
#include <fmt/format.h>

#include "apps/iskabm/commands.hpp"
#include "base/output_policy.hpp"
#include "output/run_export.hpp"
#include "output/staged_directory.hpp"

namespace iskabm::app {

void register_export_command(CLI::App& app, const GlobalOptions&, Action& action) {
  struct Options {
    std::string run, directory;
    bool dense = false, quiet = false;
  };
  auto opts = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("export", "Write a result file as tidy long CSV tables (docs/export.md)");
  cmd->add_option("run", opts->run, "Result file of `iskabm run`")->required();
  cmd->add_option("--csv", opts->directory, "Output directory (replaced whole when the export succeeds)")->required();
  cmd->add_flag("--dense", opts->dense, "Also write the rows whose value is 0 (much larger)");
  cmd->add_flag("-q,--quiet", opts->quiet, "Print nothing on success");
  cmd->callback([&action, opts] {
    action = [opts] {
      check_outputs({{opts->directory, TargetKind::replaced_directory, "--csv"}}, {opts->run});
      StagedDirectory out(opts->directory);
      const auto summary = export_run_csv(opts->run, out.path(), ExportOptions{opts->dense});
      out.commit();
      if (!opts->quiet) {
        fmt::print("exported {} replicate(s) of {} to {}/\n", summary.replicates, opts->run, out.target().string());
        for (const auto& t : summary.tables) fmt::print("  {:<30} {:>10} rows  {}\n", t.file, t.rows, t.description);
      }
      return 0;
    };
  });
}

}  // namespace iskabm::app
