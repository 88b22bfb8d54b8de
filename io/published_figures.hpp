#pragma once
// Published aggregate figures (fighter strength, counter-terrorism losses, attack counts), each
// with its original source: soft constraints for calibration and reference lines for reports.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace iskabm {

struct PublishedFigure {
  std::string id;  // "F01"
  std::string topic, country, period, metric;
  double value_low, value_high;
  std::string unit, original_source, url, note;
  std::size_t source_line;
};

struct PublishedFigures {
  std::vector<PublishedFigure> figures;
  [[nodiscard]] const PublishedFigure* find(std::string_view id) const noexcept;
};

// Loads <data_dir>/aggregates/published_figures.csv: unique ids, numeric ranges with low <= high.
[[nodiscard]] PublishedFigures load_published_figures(const std::filesystem::path& data_dir);

}  // namespace iskabm
