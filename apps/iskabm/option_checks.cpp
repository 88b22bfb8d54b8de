// Strict checks of command-line numbers, and what a command's inputs are for the output policy.
//
// Strict checks of command-line numbers (issue 20): CLI11 converts "-1" and "18446744073709551616"
// into an unsigned option by wrapping or saturating, and reads "0x10" as hexadecimal. A seed or a
// replicate number that is not what the user typed changes every result, silently; these accept
// only plain decimal digits in a stated range.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "apps/iskabm/commands.hpp"
#include "base/errors.hpp"
#include "calibration/calibration_spec.hpp"
#include "config/config_table.hpp"

namespace iskabm::app {

CLI::Validator whole_number(std::uint64_t min, std::uint64_t max) {
  return CLI::Validator(
      [min, max](std::string& text) -> std::string {
        std::uint64_t value = 0;
        const auto* end = text.data() + text.size();
        const bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
        const auto [ptr, ec] = std::from_chars(text.data(), end, value);
        if (!digits || ec != std::errc() || ptr != end || value < min || value > max)
          return fmt::format("'{}' is not a whole number from {} to {}", text, min, max);
        return {};
      },
      fmt::format("UINT:{}..{}", min, max));
}

std::vector<std::string> suggestions(const CLI::App& cli, int argc, char** argv) {
  std::vector<std::string> out;
  const CLI::App* command = nullptr;
  std::vector<std::string> commands;
  for (const auto* sub : cli.get_subcommands({})) commands.push_back(sub->get_name());
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (!command && !arg.starts_with("-")) {
      const auto subs = cli.get_subcommands({});
      const auto it = std::find_if(subs.begin(), subs.end(), [&](const CLI::App* c) { return c->get_name() == arg; });
      if (it != subs.end()) {
        command = *it;
        continue;
      }
      if (const auto hint = closest_match(arg, commands); !hint.empty())
        out.push_back(fmt::format("iskabm: '{}' is not a command; did you mean '{}'?", arg, hint));
      continue;
    }
    if (!arg.starts_with("--") || arg == "--") continue;
    const auto name = std::string(arg.substr(0, arg.find('=')));
    std::vector<std::string> known;
    for (const auto* app : {&cli, command})
      if (app)
        for (const auto* o : app->get_options())
          for (const auto& l : o->get_lnames()) known.push_back("--" + l);
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    if (const auto hint = closest_match(name, known); !hint.empty())
      out.push_back(fmt::format("iskabm: {} is not an option{}; did you mean {}?", name,
                                command ? fmt::format(" of `iskabm {}`", command->get_name()) : std::string(), hint));
  }
  return out;
}

std::vector<std::filesystem::path> spec_inputs(const std::filesystem::path& spec) {
  std::vector<std::filesystem::path> inputs{spec};
  try {
    auto scenario = calibration_scenario(spec);
    for (int depth = 0; depth < 8 && !scenario.empty(); ++depth) {  // the base chain, as the loader follows it
      inputs.push_back(scenario);
      const auto doc = ConfigDocument::parse_file(scenario);
      scenario = doc->root().has("base") ? scenario.parent_path() / doc->root().string("base") : std::filesystem::path();
    }
  } catch (const Error&) {
  }
  return inputs;
}

}  // namespace iskabm::app
