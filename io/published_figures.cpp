#include "io/published_figures.hpp"

#include <fmt/format.h>

#include <set>

#include "io/csv_table.hpp"

namespace iskabm {

const PublishedFigure* PublishedFigures::find(std::string_view id) const noexcept {
  for (const auto& f : figures)
    if (f.id == id) return &f;
  return nullptr;
}

PublishedFigures load_published_figures(const std::filesystem::path& data_dir) {
  auto t = CsvTable::read(data_dir / "aggregates" / "published_figures.csv",
                          {"figure_id", "topic", "country", "period", "metric", "value_low", "value_high", "unit",
                           "original_source", "retrieved_via_url", "note"});
  const auto c_id = t.column("figure_id"), c_low = t.column("value_low"), c_high = t.column("value_high");
  PublishedFigures out;
  std::set<std::string, std::less<>> ids;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    PublishedFigure f;
    f.id = std::string(t.required_text(r, c_id));
    if (!ids.insert(f.id).second) t.fail(r, c_id, fmt::format("duplicate figure id '{}'", f.id));
    f.topic = std::string(t.required_text(r, t.column("topic")));
    f.country = std::string(t.required_text(r, t.column("country")));
    f.period = std::string(t.required_text(r, t.column("period")));
    f.metric = std::string(t.required_text(r, t.column("metric")));
    f.value_low = t.number(r, c_low);
    f.value_high = t.number(r, c_high);
    if (f.value_low < 0) t.fail(r, c_low, fmt::format("must be >= 0, got {}", f.value_low));
    if (f.value_high < f.value_low)
      t.fail(r, c_high, fmt::format("{} is below value_low {}", f.value_high, f.value_low));
    f.unit = std::string(t.required_text(r, t.column("unit")));
    f.original_source = std::string(t.required_text(r, t.column("original_source")));
    f.url = std::string(t.text(r, t.column("retrieved_via_url")));
    f.note = std::string(t.text(r, t.column("note")));
    f.source_line = t.line(r);
    out.figures.push_back(std::move(f));
  }
  return out;
}

}  // namespace iskabm
