#pragma once
// Validation figures (issue 18): the published figures a calibration spec declares validation only
// are never fitted, but a run can be held against them. Each figure the model has a counterpart
// for is read as one quantity of a run (ISK's strength in Afghanistan at a date, claimed attacks
// on civilians in a half-year, the deadliest attack in Pakistan in a year, ...; the table in
// validation_figures.cpp says which, and docs/calibration.md why); `check-fit` prints them in their
// own section, for the figures whose period lies inside the run's window.
#include <filesystem>
#include <string>
#include <vector>

#include "io/published_figures.hpp"

namespace iskabm {

struct ValidationRow {
  std::string id;            // "F10"
  std::string quantity;      // what of the run is compared
  double low = 0, high = 0;  // the figure's range
  double median = 0, q05 = 0, q95 = 0;
  std::size_t replicates = 0;
  // The figure's range meets the simulated 90 % interval.
  [[nodiscard]] bool consistent() const noexcept { return high >= q05 && low <= q95; }
};

struct ValidationCheck {
  std::vector<ValidationRow> rows;          // figures inside the run's window, with a counterpart
  std::vector<std::string> outside_window;  // ids with a counterpart whose period the run does not cover
  std::vector<std::string> not_modelled;    // ids with no counterpart in the model (and why)
  bool events_stored = true;                // false: the event-based figures could not be computed
};

// `validation`: the figure ids to check (a spec's [figures] validation list); an id not in the
// table below is reported as not modelled.
[[nodiscard]] ValidationCheck check_validation_figures(const std::filesystem::path& run,
                                                       const PublishedFigures& figures,
                                                       const std::vector<std::string>& validation);

}  // namespace iskabm
