#pragma once
// A result file of `iskabm run` read as a forecast ensemble: one district-month variable
// (attacks_observed by default) of every complete replicate, for the months from a given one to
// the end of the file, with the time, district and district_country coordinates (docs/output.md).
// Used by `iskabm score`.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "model/calendar.hpp"
#include "model/geography.hpp"

namespace iskabm {

struct ForecastEnsemble {
  std::string source;    // the file, as named in messages
  std::string variable;  // e.g. attacks_observed
  std::size_t replicates = 0;
  std::vector<CivilDate> file_months;  // every month of the file (first days), in order
  std::vector<std::string> district_id;
  std::vector<Country> district_country;
  std::size_t first_month = 0;       // index into file_months of the first loaded month
  std::size_t months = 0;            // months loaded
  std::vector<std::int32_t> values;  // (replicate, loaded month, district)

  [[nodiscard]] std::size_t districts() const noexcept { return district_id.size(); }
  [[nodiscard]] std::int32_t at(std::size_t replicate, std::size_t month, std::size_t district) const {
    return values[(replicate * months + month) * district_id.size() + district];
  }
};

// The district-month variables a forecast can be read from.
[[nodiscard]] const std::vector<std::string>& forecast_variables();

// Reads `variable` for the months from `from` (a first day of a month; nullopt: all) to the last
// month of the file. A file that is not an iskabm result file, or lacks the variable, is an
// IoError / DataError naming the file; an unknown variable name is a UsageError.
[[nodiscard]] ForecastEnsemble read_forecast_ensemble(const std::filesystem::path& path,
                                                      const std::string& variable = "attacks_observed",
                                                      std::optional<CivilDate> from = std::nullopt);

}  // namespace iskabm
