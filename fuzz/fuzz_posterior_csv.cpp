// libFuzzer harness: the posterior particles CSV that `run --posterior` reads (header of
// parameter keys, one weighted particle per line; values range-checked, weights positive).
#include <cstddef>
#include <cstdint>

#include "base/errors.hpp"
#include "calibration/posterior_file.hpp"
#include "fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace iskabm;
  const auto path = fuzz::write_input("posterior.csv", data, size);
  try {
    const auto draw = read_posterior_draw(path);
    for (std::uint64_t replicate = 0; replicate < 4; ++replicate) (void)draw.values(1, replicate);
  } catch (const Error&) {
  }
  return 0;
}
