#include "output/netcdf_writer.hpp"

#include <fmt/format.h>
#include <hdf5_hl.h>

#include <numeric>

#include "base/errors.hpp"
#include "base/output_lock.hpp"
#include "base/text_file.hpp"

namespace iskabm::h5 {

namespace {
Handle untimed(hid_t cls) {
  auto p = check(H5Pcreate(cls), "properties");
  check_status(H5Pset_obj_track_times(p, 0), "track times");
  return p;
}
}  // namespace

NetcdfWriter::NetcdfWriter(std::filesystem::path path)
    : lock_(std::make_unique<OutputLock>(path)), path_(std::move(path)), tmp_(path_) {
  tmp_ += ".tmp";
  silence_error_printing();
  auto fcpl = check(H5Pcreate(H5P_FILE_CREATE), "file properties");
  check_status(H5Pset_obj_track_times(fcpl, 0), "track times");
  check_status(H5Pset_link_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), "link order");
  check_status(H5Pset_attr_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), "attr order");
  auto fapl = check(H5Pcreate(H5P_FILE_ACCESS), "file access");
  check_status(H5Pset_libver_bounds(fapl, H5F_LIBVER_V18, H5F_LIBVER_V18), "library version bounds");
  // Closing the file with objects still open fails instead of silently deferring the flush
  // (commit() must not rename a file whose bytes are not all written).
  check_status(H5Pset_fclose_degree(fapl, H5F_CLOSE_SEMI), "close degree");
  file_ = create_exclusive(tmp_, fcpl, fapl);
}

NetcdfWriter::~NetcdfWriter() {
  if (committed_) return;
  file_.reset();
  std::error_code ec;
  std::filesystem::remove(tmp_, ec);
}

Handle NetcdfWriter::group(hid_t parent, const char* name) {
  auto gcpl = untimed(H5P_GROUP_CREATE);
  check_status(H5Pset_link_creation_order(gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), "link order");
  return check(H5Gcreate2(parent, name, H5P_DEFAULT, gcpl, H5P_DEFAULT), name);
}

Handle NetcdfWriter::dataset(hid_t loc, const char* name, hid_t file_type, const std::vector<hid_t>& dims) {
  std::vector<hsize_t> shape;
  for (hid_t d : dims) {
    auto space = check(H5Dget_space(d), name);
    hsize_t n = 0;
    H5Sget_simple_extent_dims(space, &n, nullptr);
    shape.push_back(n);
  }
  auto space = dims.empty() ? check(H5Screate(H5S_SCALAR), name)
                            : check(H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr), name);
  auto dcpl = untimed(H5P_DATASET_CREATE);
  check_status(H5Pset_attr_creation_order(dcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), "attr order");
  return check(H5Dcreate2(loc, name, file_type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT), name);
}

Handle NetcdfWriter::string_dimension(hid_t loc, const char* name, const std::vector<std::string>& labels) {
  std::vector<const char*> p;
  for (const auto& v : labels) p.push_back(v.c_str());
  auto t = vlen_string_type();
  const hsize_t n = labels.size();
  auto space = check(H5Screate_simple(1, &n, nullptr), name);
  auto dcpl = untimed(H5P_DATASET_CREATE);
  auto ds = check(H5Dcreate2(loc, name, t, space, H5P_DEFAULT, dcpl, H5P_DEFAULT), name);
  if (n > 0) check_status(H5Dwrite(ds, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, p.data()), name);
  check_status(H5DSset_scale(ds, name), name);
  return ds;
}

Handle NetcdfWriter::index_dimension(hid_t loc, const char* name, std::size_t count) {
  std::vector<std::int64_t> v(count);
  std::iota(v.begin(), v.end(), std::int64_t{0});
  const hsize_t n = count;
  auto space = check(H5Screate_simple(1, &n, nullptr), name);
  auto dcpl = untimed(H5P_DATASET_CREATE);
  auto ds = check(H5Dcreate2(loc, name, H5T_STD_I64LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT), name);
  if (n > 0) check_status(H5Dwrite(ds, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), name);
  check_status(H5DSset_scale(ds, name), name);
  return ds;
}

void NetcdfWriter::numeric_variable(hid_t loc, const char* name, hid_t file_type, hid_t mem_type, const void* data,
                                    const std::vector<hid_t>& dims, std::string_view units,
                                    std::string_view long_name) {
  auto ds = dataset(loc, name, file_type, dims);
  if (data) check_status(H5Dwrite(ds, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), name);
  set_attribute(ds, "units", units);
  set_attribute(ds, "long_name", long_name);
  for (std::size_t k = 0; k < dims.size(); ++k)
    check_status(H5DSattach_scale(ds, dims[k], static_cast<unsigned>(k)), name);
}

void NetcdfWriter::variable(hid_t loc, const char* name, const std::vector<double>& data,
                            const std::vector<hid_t>& dims, std::string_view units, std::string_view long_name) {
  numeric_variable(loc, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, data.empty() ? nullptr : data.data(), dims, units,
                   long_name);
}

void NetcdfWriter::variable(hid_t loc, const char* name, const std::vector<std::int64_t>& data,
                            const std::vector<hid_t>& dims, std::string_view units, std::string_view long_name) {
  numeric_variable(loc, name, H5T_STD_I64LE, H5T_NATIVE_INT64, data.empty() ? nullptr : data.data(), dims, units,
                   long_name);
}

void NetcdfWriter::string_variable(hid_t loc, const char* name, const std::vector<std::string>& data, hid_t dim,
                                   std::string_view long_name) {
  std::vector<const char*> p;
  for (const auto& v : data) p.push_back(v.c_str());
  auto t = vlen_string_type();
  auto ds = dataset(loc, name, t, {dim});
  if (!p.empty()) check_status(H5Dwrite(ds, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, p.data()), name);
  set_attribute(ds, "long_name", long_name);
  check_status(H5DSattach_scale(ds, dim, 0), name);
}

void NetcdfWriter::commit() {
  const auto h = file_.release_for_close();
  if (H5Fclose(h) < 0) throw IoError(fmt::format("{}: cannot close", tmp_.string()));
  iskabm::durable_rename(tmp_, path_);
  committed_ = true;
}

}  // namespace iskabm::h5
