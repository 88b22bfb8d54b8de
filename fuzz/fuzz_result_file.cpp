// libFuzzer harness: the readers of result files (RunFileReader, compare's loader). The input is
// not the file's bytes -- HDF5's own parser is fuzzed by its maintainers (OSS-Fuzz) -- but a
// description of a well-formed HDF5 file that carries iskabm's attributes with arrays of any
// shape, type and extent: the trust iskabm places in a file's arrays and attributes is what is
// tested. Every inconsistency must end in iskabm::Error, never a crash or a read out of bounds.
#include <fuzzer/FuzzedDataProvider.h>
#include <hdf5.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/errors.hpp"
#include "config/scenario_loader.hpp"
#include "fuzz/fuzz_support.hpp"
#include "io/geography_loader.hpp"
#include "model/recorder.hpp"
#include "model/world.hpp"
#include "output/hdf5.hpp"
#include "output/run_compare.hpp"
#include "output/run_file.hpp"

namespace {

using namespace iskabm;

void attribute(hid_t file, const char* name, std::int64_t value) { h5::set_attribute(file, name, value); }
void attribute(hid_t file, const char* name, const std::string& value) {
  h5::set_attribute(file, name, std::string_view(value));
}

// A dataset of `rank` dimensions of the fuzzer's sizes, filled with its numbers.
void dataset(hid_t file, const char* name, FuzzedDataProvider& in, hid_t type, std::size_t element) {
  const int rank = in.ConsumeIntegralInRange<int>(0, 4);
  std::vector<hsize_t> d(static_cast<std::size_t>(rank));
  std::size_t n = 1;
  for (auto& x : d) n *= (x = in.ConsumeIntegralInRange<hsize_t>(0, 40));
  const auto space = rank == 0 ? H5Screate(H5S_SCALAR) : H5Screate_simple(rank, d.data(), nullptr);
  const auto ds = H5Dcreate2(file, name, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  std::vector<std::uint8_t> bytes(n * element);
  for (auto& b : bytes) b = in.ConsumeIntegral<std::uint8_t>();
  if (!bytes.empty()) H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data());
  H5Dclose(ds);
  H5Sclose(space);
}

void strings(hid_t file, const char* name, FuzzedDataProvider& in) {
  const auto n = in.ConsumeIntegralInRange<hsize_t>(0, 40);
  std::vector<std::string> values;
  for (hsize_t i = 0; i < n; ++i) values.push_back(in.ConsumeRandomLengthString(12));
  std::vector<const char*> raw;
  for (const auto& v : values) raw.push_back(v.c_str());
  const auto type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, H5T_VARIABLE);
  const auto space = H5Screate_simple(1, &n, nullptr);
  const auto ds = H5Dcreate2(file, name, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  if (n > 0) H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data());
  H5Dclose(ds);
  H5Sclose(space);
  H5Tclose(type);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Geography geo = load_geography(fuzz::data_dir());
  static const World world = make_world(
      geo,
      load_model_config(ISKABM_FUZZ_SOURCE_DIR "/tests/fixtures/small_config.toml", geo, fuzz::default_parameters()));
  FuzzedDataProvider in(data, size);
  const auto path = fuzz::scratch() / "result.h5";
  h5::silence_error_printing();
  {
    const auto file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    if (file < 0) return 0;
    attribute(file, "replicates_complete", in.ConsumeIntegralInRange<std::int64_t>(-2, 50));
    attribute(file, "configuration_toml", in.ConsumeRandomLengthString(64));
    attribute(file, "title", std::string("fuzz"));
    attribute(file, "seed", in.ConsumeIntegral<std::int64_t>());
    attribute(file, "first_replicate", in.ConsumeIntegralInRange<std::int64_t>(-2, 50));
    const auto history = in.ConsumeBool() ? "iskabm run small.toml --seed 1 --replicates " +
                                                std::to_string(in.ConsumeIntegralInRange<int>(-2, 60))
                                          : in.ConsumeRandomLengthString(64);
    attribute(file, "history", history);
    for (const char* name : {"replicate", "event_replicate", "group_members"})
      dataset(file, name, in, H5T_NATIVE_INT64, 8);
    dataset(file, "time", in, H5T_NATIVE_DOUBLE, 8);
    dataset(file, "summary_statistics", in, H5T_NATIVE_DOUBLE, 8);
    dataset(file, "district_country", in, H5T_NATIVE_INT8, 1);
    for (const char* name : {"attacks", "attacks_observed", "fatalities", "joint_attacks"})
      dataset(file, name, in, H5T_NATIVE_INT32, 4);
    for (const char* name : {"district", "province", "group"}) strings(file, name, in);
    H5Fclose(file);
  }
  const auto attempt = [](auto&& f) {
    try {
      f();
    } catch (const Error&) {
    }
  };
  attempt([&] { (void)compare_runs(path, path); });
  attempt([&] {
    const RunFileReader reader(path);
    attempt([&] { reader.require_complete(); });
    attempt([&] { (void)reader.run_command(); });
    const auto n = reader.replicates_complete();
    for (std::size_t k = 0; k < std::min<std::uint64_t>(n, 3); ++k) {
      attempt([&] { (void)reader.statistics(k); });
      attempt([&] { (void)reader.replicate_integers("attacks", k); });
      attempt([&] {
        Recorder r(world);
        reader.read(k, world, r);
      });
    }
  });
  return 0;
}
