// libFuzzer harness: the CSV reader of the observed data (io/csv_table), every typed accessor on
// every cell. A bad table must end in iskabm::Error naming file, line and column.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/errors.hpp"
#include "io/csv_table.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace iskabm;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto table = CsvTable::parse(text, {"district", "date", "count", "share"}, "fuzz.csv");
    for (std::size_t r = 0; r < table.rows(); ++r)
      for (std::size_t c = 0; c < 4; ++c) {
        (void)table.line(r);
        (void)table.text(r, c);
        const auto attempt = [](auto&& f) {
          try {
            f();
          } catch (const Error&) {
          }
        };
        attempt([&] { (void)table.required_text(r, c); });
        attempt([&] { (void)table.number(r, c); });
        attempt([&] { (void)table.optional_number(r, c); });
        attempt([&] { (void)table.integer(r, c); });
        attempt([&] { (void)table.optional_integer(r, c); });
        attempt([&] { (void)table.date(r, c); });
      }
  } catch (const Error&) {
  }
  return 0;
}
