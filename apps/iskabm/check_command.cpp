// `iskabm check SCENARIO.toml [--resolved]`: validate a scenario without running it; print what
// it contains, or the fully resolved standalone TOML.
#include <fmt/format.h>

#include "apps/iskabm/commands.hpp"
#include "config/scenario_loader.hpp"
#include "io/geography_loader.hpp"
#include "io/observed_data.hpp"
#include "model/world.hpp"

namespace iskabm::app {

namespace {
std::string window(DayNumber start, DayNumber end) {
  return to_iso_string(to_civil(start)) + " .. " +
         (end > to_day_number({9000, 1, 1}) ? "" : to_iso_string(to_civil(end)));
}
}  // namespace

void register_check_command(CLI::App& app, const GlobalOptions& global, Action& action) {
  struct Options {
    std::string scenario;
    bool resolved = false;
  };
  auto opts = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("check", "Validate a scenario (no run); print a summary or the resolved TOML");
  cmd->add_option("scenario", opts->scenario, "Scenario file (TOML)")->required();
  cmd->add_flag("--resolved", opts->resolved, "Print the fully resolved, standalone scenario TOML");
  cmd->callback([&global, &action, opts] {
    action = [&global, opts] {
      const auto geo = load_geography(resolve_data_dir(global));
      const auto c = load_model_config(opts->scenario, geo, default_parameters_path());
      const auto w = make_world(geo, c);  // derived tables are checked too
      if (opts->resolved) {
        fmt::print("{}", resolved_toml(c, geo));
        return 0;
      }
      std::string chain;
      for (const auto& f : c.chain) chain += (chain.empty() ? "" : " <- ") + f;
      fmt::print("scenario       {}\n", c.title);
      fmt::print("files          {}\n", chain);
      fmt::print("window         {} ({} days), seed {}, {} replicate(s)\n", window(c.start, c.end), w.days(), c.seed,
                 c.replicates);
      std::string groups;
      for (const auto& g : c.groups) {
        long members = 0, cells = 0;
        for (const auto& f : g.footholds) members += static_cast<long>(f.cells) * f.members, cells += f.cells;
        groups += fmt::format("{}{} ({} cells, {} members)", groups.empty() ? "" : ", ", g.id, cells, members);
      }
      fmt::print("groups         {}\n", groups);
      for (const auto& t : c.ties)
        fmt::print("alliance tie   {} - {}: {}, {}, {}\n", c.groups[t.first].id, c.groups[t.second].id,
                   to_string(t.type), to_string(t.quality), window(t.start, t.end));
      for (const auto& e : c.pressure)
        fmt::print("pressure       {}: {} x{} on {} districts, {}\n", e.label, to_string(e.actor), e.level,
                   e.area.members.size(), window(e.start, e.end));
      for (const auto& v : c.interventions)
        fmt::print("intervention   {}: {}{}, {}\n", v.label, to_string(v.kind),
                   v.kind == InterventionKind::reinforcement
                       ? fmt::format(" {} x {} cells of {}", v.area.members.size(), v.cells, v.members)
                   : v.kind == InterventionKind::losses ? fmt::format(" of {} of the members", v.value)
                   : v.kind == InterventionKind::decapitation
                       ? fmt::format(" of {} of the experience and momentum", v.value)
                       : fmt::format(" x{}", v.value),
                   window(v.start, v.end));
      fmt::print("conditions     {} stretches of constant pressure and interventions\n", w.conditions.size());
      fmt::print("check: OK\n");
      return 0;
    };
  });
}

}  // namespace iskabm::app
