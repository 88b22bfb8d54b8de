// `iskabm schema`: the variables of a result file (output/schema.cpp). `--markdown` prints the
// table docs/output.md carries (a test keeps the two identical); `--json` the same rows for tools.
#include <fmt/format.h>

#include "apps/iskabm/commands.hpp"
#include "output/schema.hpp"

namespace iskabm::app {

namespace {
std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + '"';
}
std::string_view role_name(VariableRole r) {
  switch (r) {
    case VariableRole::district_month: return "district_month";
    case VariableRole::breakdown: return "breakdown";
    case VariableRole::group_month: return "group_month";
    case VariableRole::statistics: return "statistics";
    case VariableRole::parameters: return "parameters";
    case VariableRole::event: return "event";
  }
  return "?";
}
}  // namespace

void register_schema_command(CLI::App& app, const GlobalOptions&, Action& action) {
  struct Options {
    bool markdown = false, json = false;
  };
  auto opts = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("schema", "List the variables of a result file (docs/output.md)");
  auto* md = cmd->add_flag("--markdown", opts->markdown, "Print the Markdown table of docs/output.md");
  cmd->add_flag("--json", opts->json, "Print the variables as JSON")->excludes(md);
  cmd->callback([&action, opts] {
    action = [opts] {
      if (opts->markdown) {
        fmt::print("{}", output_schema_markdown());
        return 0;
      }
      if (opts->json) {
        fmt::print("[\n");
        const auto all = output_schema();
        for (std::size_t i = 0; i < all.size(); ++i) {
          const auto& v = all[i];
          std::string dims;
          for (auto d : v.dimensions) dims += (dims.empty() ? "" : ", ") + json_string(to_string(d));
          fmt::print(
              "  {{\"name\": {}, \"dimensions\": [{}], \"type\": {}, \"units\": {}, \"long_name\": {}, "
              "\"role\": {}, \"compared\": {}, \"flag_meanings\": {}, \"source\": {}}}{}\n",
              json_string(v.name), dims, json_string(to_string(v.type)), json_string(v.units), json_string(v.long_name),
              json_string(role_name(v.role)), v.compared ? "true" : "false", json_string(v.flag_meanings),
              json_string(v.source), i + 1 < all.size() ? "," : "");
        }
        fmt::print("]\n");
        return 0;
      }
      for (const auto& v : output_schema()) {
        std::string dims;
        for (auto d : v.dimensions) dims += (dims.empty() ? "" : ", ") + std::string(to_string(d));
        fmt::print("{:<26} {:<8} ({})\n    {}\n", v.name, to_string(v.type), dims, v.long_name);
      }
      return 0;
    };
  });
}

}  // namespace iskabm::app
