#pragma once
// Shared by the libFuzzer harnesses: a scratch directory of the process (the readers take paths),
// and the bundled data the harnesses need once (the district map).
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace iskabm::fuzz {

inline const std::filesystem::path& scratch() {
  static const std::filesystem::path dir = [] {
    auto d = std::filesystem::temp_directory_path() / ("iskabm-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(
          std::filesystem::temp_directory_path() / ("iskabm-fuzz-" + std::to_string(::getpid())), ec);
    });
    return d;
  }();
  return dir;
}

// Writes the fuzzer's bytes to `name` in the scratch directory and returns its path.
inline std::filesystem::path write_input(const std::string& name, const std::uint8_t* data, std::size_t size) {
  const auto path = scratch() / name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  return path;
}

inline std::filesystem::path data_dir() { return ISKABM_FUZZ_DATA_DIR; }
inline std::filesystem::path default_parameters() { return ISKABM_FUZZ_SOURCE_DIR "/parameters/defaults.toml"; }

}  // namespace iskabm::fuzz
