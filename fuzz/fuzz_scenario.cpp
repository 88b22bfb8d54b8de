// libFuzzer harness: the scenario loader (TOML text -> ModelConfig, every key checked). A bad
// scenario must end in iskabm::Error (a clear message and exit code); anything else -- a crash, a
// sanitizer report, another exception, a hang -- is a finding.
#include <cstddef>
#include <cstdint>

#include "base/errors.hpp"
#include "config/scenario_loader.hpp"
#include "fuzz/fuzz_support.hpp"
#include "io/geography_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace iskabm;
  static const Geography geo = load_geography(fuzz::data_dir());
  const auto path = fuzz::write_input("scenario.toml", data, size);
  try {
    const auto config = load_model_config(path, geo, fuzz::default_parameters());
    (void)resolved_toml(config, geo);  // what a result file stores must be writable too
  } catch (const Error&) {
  }
  return 0;
}
