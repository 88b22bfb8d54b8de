#pragma once
// Small, whole-file netCDF-4-compatible HDF5 outputs (the calibration's posterior file, score
// tables): fixed-size dimensions and variables written in one go, no timestamps (equal inputs give
// equal bytes), and a durable commit (<path>.tmp, fsync, rename) so that a reader never sees a
// partial file at <path>. The large, appendable run files have their own writer (run_file.hpp).
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "output/hdf5.hpp"

namespace iskabm {
class OutputLock;
}

namespace iskabm::h5 {

class NetcdfWriter {
 public:
  // Creates <path>.tmp (replacing any stale one).
  explicit NetcdfWriter(std::filesystem::path path);
  ~NetcdfWriter();  // an uncommitted file is closed and removed
  NetcdfWriter(const NetcdfWriter&) = delete;
  NetcdfWriter& operator=(const NetcdfWriter&) = delete;

  [[nodiscard]] hid_t file() const noexcept { return file_.get(); }
  // A group (for nested, h5py-style content; xarray opens it with group="...").
  [[nodiscard]] Handle group(hid_t parent, const char* name);

  // Dimensions with coordinate variables: string labels, or the integers 0..n-1.
  Handle string_dimension(hid_t loc, const char* name, const std::vector<std::string>& labels);
  Handle index_dimension(hid_t loc, const char* name, std::size_t n);
  // Variables over the given dimensions (row-major data, size = product of the dimensions).
  void variable(hid_t loc, const char* name, const std::vector<double>& data, const std::vector<hid_t>& dims,
                std::string_view units, std::string_view long_name);
  void variable(hid_t loc, const char* name, const std::vector<std::int64_t>& data, const std::vector<hid_t>& dims,
                std::string_view units, std::string_view long_name);
  void string_variable(hid_t loc, const char* name, const std::vector<std::string>& data, hid_t dim,
                       std::string_view long_name);

  // Closes and renames <path>.tmp to <path> durably. Every handle the caller got (dimensions,
  // groups) must be closed first: closing fails otherwise.
  void commit();

 private:
  Handle dataset(hid_t loc, const char* name, hid_t file_type, const std::vector<hid_t>& dims);
  void numeric_variable(hid_t loc, const char* name, hid_t file_type, hid_t mem_type, const void* data,
                        const std::vector<hid_t>& dims, std::string_view units, std::string_view long_name);
  std::unique_ptr<OutputLock> lock_;  // first: taken before the .tmp is touched, released last
  std::filesystem::path path_, tmp_;
  Handle file_;
  bool committed_ = false;
};

}  // namespace iskabm::h5
