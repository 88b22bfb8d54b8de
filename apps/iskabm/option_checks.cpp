// Strict checks of command-line numbers, and what a command's inputs are for the output policy.
//
// Strict checks of command-line numbers (issue 20): CLI11 converts "-1" and "18446744073709551616"
// into an unsigned option by wrapping or saturating, and reads "0x10" as hexadecimal. A seed or a
// replicate number that is not what the user typed changes every result, silently; these accept
// only plain decimal digits in a stated range.
#include <fmt/format.h>

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
