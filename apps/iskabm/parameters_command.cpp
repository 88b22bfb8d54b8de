// `iskabm parameters`: every model parameter with its unit, default, range, meaning and source.
// `--markdown` prints the table docs/ODD.md carries (a test keeps the two identical).
#include <fmt/format.h>

#include "apps/iskabm/commands.hpp"
#include "config/config_table.hpp"
#include "config/parameter_loader.hpp"
#include "model/parameters.hpp"

namespace iskabm::app {

namespace {
std::string number(double x) { return fmt::format("{}", x); }
std::string escape(std::string_view s) {
  std::string out;
  for (char c : s) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}
}  // namespace

std::string parameter_table_markdown(const Parameters& defaults) {
  std::string out = "| parameter | unit | default | range | meaning | source |\n|---|---|---|---|---|---|\n";
  for (const auto& s : parameter_specs())
    out += fmt::format("| `{}` | {} | {} | {} – {} | {} | {} |\n", s.key, s.unit, number(defaults.*(s.field)),
                       number(s.min), number(s.max), escape(s.meaning), escape(s.source));
  return out;
}

void register_parameters_command(CLI::App& app, const GlobalOptions&, Action& action) {
  auto markdown = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand("parameters", "List the model parameters with unit, default, range and source");
  cmd->add_flag("--markdown", *markdown, "Print the Markdown table of docs/ODD.md");
  cmd->callback([&action, markdown] {
    action = [markdown] {
      const auto defaults = read_parameters(ConfigDocument::parse_file(default_parameters_path())->root());
      if (*markdown) {
        fmt::print("{}", parameter_table_markdown(defaults));
        return 0;
      }
      for (const auto& s : parameter_specs())
        fmt::print("{:<40} {:>10} {:<16} [{}, {}]\n    {}\n    source: {}\n", s.key, number(defaults.*(s.field)),
                   s.unit, number(s.min), number(s.max), s.meaning, s.source);
      return 0;
    };
  });
}

}  // namespace iskabm::app
