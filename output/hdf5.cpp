#include "output/hdf5.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/errors.hpp"
#include "base/text_file.hpp"

namespace iskabm::h5 {

void Handle::reset() noexcept {
  if (id_ < 0) return;
  switch (H5Iget_type(id_)) {
    case H5I_FILE: H5Fclose(id_); break;
    case H5I_GROUP: H5Gclose(id_); break;
    case H5I_DATASET: H5Dclose(id_); break;
    case H5I_DATASPACE: H5Sclose(id_); break;
    case H5I_DATATYPE: H5Tclose(id_); break;
    case H5I_ATTR: H5Aclose(id_); break;
    case H5I_GENPROP_LST: H5Pclose(id_); break;
    default: break;
  }
  id_ = H5I_INVALID_HID;
}

namespace {
struct Messages {
  std::string api, system;
};
herr_t collect(unsigned n, const H5E_error2_t* e, void* out) {
  auto& m = *static_cast<Messages*>(out);
  const std::string_view desc = e->desc ? e->desc : "";
  if (n == 0) m.api = desc;
  // The file driver reports a failed read or write as "..., errno = 28, error message = 'No
  // space left on device', ...": keep the system's reason.
  constexpr std::string_view tag = "error message = '";
  if (const auto at = desc.find(tag); at != std::string_view::npos && m.system.empty()) {
    const auto from = at + tag.size();
    m.system = desc.substr(from, desc.find('\'', from) - from);
  }
  return 0;
}
}  // namespace

std::string error_message() {
  Messages m;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, collect, &m);
  if (m.api.empty()) m.api = "HDF5 error";
  return m.system.empty() || m.api.find(m.system) != std::string::npos ? m.api : fmt::format("{}: {}", m.api, m.system);
}

Handle check(hid_t id, std::string_view context) {
  if (id < 0) throw IoError(fmt::format("{}: {}", context, error_message()));
  return Handle(id);
}

void check_status(herr_t status, std::string_view context) {
  if (status < 0) throw IoError(fmt::format("{}: {}", context, error_message()));
}

void silence_error_printing() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

Handle open_read_only(const std::filesystem::path& path) {
  silence_error_printing();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw IoError(fmt::format("{}: no such file", path.string()));
  require_regular_file(path);
  if (path.extension() == ".tmp")
    throw IoError(fmt::format("{}: an interrupted run's temporary file, not a result (finish the run with "
                              "--resume, or read a complete file)",
                              path.string()));
  const auto h = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (h < 0) throw IoError(fmt::format("{}: not an HDF5 file (or a truncated one)", path.string()));
  return Handle(h);
}

Handle create_exclusive(const std::filesystem::path& path, hid_t fcpl, hid_t fapl) {
  silence_error_printing();
  if (::unlink(path.c_str()) != 0 && errno != ENOENT)
    throw IoError(fmt::format("{}: cannot remove the old file: {}", path.string(), std::strerror(errno)));
  const auto h = H5Fcreate(path.c_str(), H5F_ACC_EXCL, fcpl, fapl);
  if (h < 0) throw IoError(fmt::format("{}: cannot create: {}", path.string(), error_message()));
  return Handle(h);
}

namespace {
void write_scalar_attribute(hid_t obj, const char* name, hid_t type, const void* value) {
  if (H5Aexists(obj, name) > 0) {
    // Overwrite in place: deleting and re-creating would use up the object's attribute
    // creation-order counter (65,535) on a long run.
    auto attr = check(H5Aopen(obj, name, H5P_DEFAULT), name);
    auto stored = check(H5Aget_type(attr), name);
    if (H5Tequal(stored, type) > 0) {
      check_status(H5Awrite(attr, type, value), name);
      return;
    }
    attr.reset();
    check_status(H5Adelete(obj, name), name);
  }
  auto space = check(H5Screate(H5S_SCALAR), name);
  auto attr = check(H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT), name);
  check_status(H5Awrite(attr, type, value), name);
}
}  // namespace

void set_attribute(hid_t obj, const char* name, std::string_view value) {
  auto type = check(H5Tcopy(H5T_C_S1), name);
  check_status(H5Tset_size(type, std::max<std::size_t>(value.size(), 1)), name);
  check_status(H5Tset_strpad(type, H5T_STR_NULLTERM), name);
  bool ascii = true;
  for (unsigned char ch : value) ascii &= ch < 128;
  if (!ascii) check_status(H5Tset_cset(type, H5T_CSET_UTF8), name);
  std::string buf(value);
  buf.resize(std::max<std::size_t>(value.size(), 1), '\0');
  write_scalar_attribute(obj, name, type, buf.data());
}
void set_attribute(hid_t obj, const char* name, double value) {
  write_scalar_attribute(obj, name, H5T_NATIVE_DOUBLE, &value);
}
void set_attribute(hid_t obj, const char* name, std::int64_t value) {
  write_scalar_attribute(obj, name, H5T_NATIVE_INT64, &value);
}
void set_attribute(hid_t obj, const char* name, std::uint64_t value) {
  write_scalar_attribute(obj, name, H5T_NATIVE_UINT64, &value);
}
namespace {
void write_array_attribute(hid_t obj, const char* name, hid_t file_type, hid_t mem_type, hsize_t n, const void* data) {
  if (H5Aexists(obj, name) > 0) check_status(H5Adelete(obj, name), name);
  auto space = check(H5Screate_simple(1, &n, nullptr), name);
  auto attr = check(H5Acreate2(obj, name, file_type, space, H5P_DEFAULT, H5P_DEFAULT), name);
  check_status(H5Awrite(attr, mem_type, data), name);
}
}  // namespace

void set_attribute(hid_t obj, const char* name, const std::vector<std::int32_t>& values) {
  write_array_attribute(obj, name, H5T_STD_I32LE, H5T_NATIVE_INT32, values.size(), values.data());
}
void set_attribute(hid_t obj, const char* name, const std::vector<std::int8_t>& values) {
  write_array_attribute(obj, name, H5T_STD_I8LE, H5T_NATIVE_INT8, values.size(), values.data());
}

bool has_attribute(hid_t obj, const char* name) { return H5Aexists(obj, name) > 0; }

std::string read_string_attribute(hid_t obj, const char* name) {
  auto attr = check(H5Aopen(obj, name, H5P_DEFAULT), name);
  auto type = check(H5Aget_type(attr), name);
  if (H5Tis_variable_str(type) > 0) {
    char* p = nullptr;
    auto mem = vlen_string_type();
    check_status(H5Aread(attr, mem, &p), name);
    std::string s = p ? p : "";
    H5free_memory(p);
    return s;
  }
  std::string s(H5Tget_size(type), '\0');
  check_status(H5Aread(attr, type, s.data()), name);
  s.resize(std::strlen(s.c_str()));
  return s;
}

std::int64_t read_int_attribute(hid_t obj, const char* name) {
  auto attr = check(H5Aopen(obj, name, H5P_DEFAULT), name);
  std::int64_t v = 0;
  check_status(H5Aread(attr, H5T_NATIVE_INT64, &v), name);
  return v;
}

double read_double_attribute(hid_t obj, const char* name) {
  auto attr = check(H5Aopen(obj, name, H5P_DEFAULT), name);
  double v = 0;
  check_status(H5Aread(attr, H5T_NATIVE_DOUBLE, &v), name);
  return v;
}

Handle vlen_string_type() {
  auto t = check(H5Tcopy(H5T_C_S1), "string type");
  check_status(H5Tset_size(t, H5T_VARIABLE), "string type");
  check_status(H5Tset_cset(t, H5T_CSET_UTF8), "string type");
  return t;
}

std::vector<hsize_t> dims(hid_t file, const char* name) {
  auto ds = check(H5Dopen2(file, name, H5P_DEFAULT), name);
  auto space = check(H5Dget_space(ds), name);
  const int rank = H5Sget_simple_extent_ndims(space);
  std::vector<hsize_t> d(static_cast<std::size_t>(std::max(rank, 0)));
  H5Sget_simple_extent_dims(space, d.data(), nullptr);
  return d;
}

template <class T>
hid_t native_type();
template <>
hid_t native_type<std::int32_t>() {
  return H5T_NATIVE_INT32;
}
template <>
hid_t native_type<std::int64_t>() {
  return H5T_NATIVE_INT64;
}
template <>
hid_t native_type<double>() {
  return H5T_NATIVE_DOUBLE;
}
template <>
hid_t native_type<std::int8_t>() {
  return H5T_NATIVE_INT8;
}
template <>
hid_t native_type<std::uint8_t>() {
  return H5T_NATIVE_UINT8;
}

namespace {
// The elements of a dataspace, refused beyond what iskabm reads into memory at once: a crafted
// file may declare an extent of 10^15 elements in a few bytes of unallocated chunks.
std::size_t element_count(hid_t space, const char* name, std::size_t element_size) {
  constexpr std::uint64_t max_bytes = std::uint64_t{1} << 33;  // 8 GiB
  const auto n = H5Sget_simple_extent_npoints(space);
  if (n < 0) throw IoError(fmt::format("{}: cannot read its extent: {}", name, error_message()));
  if (static_cast<std::uint64_t>(n) > max_bytes / element_size)
    throw IoError(fmt::format("{}: declares {} values, more than the {} bytes iskabm reads into memory at once", name,
                              n, max_bytes));
  return static_cast<std::size_t>(n);
}
}  // namespace

template <class T>
std::vector<T> read_all(hid_t file, const char* name) {
  auto ds = check(H5Dopen2(file, name, H5P_DEFAULT), name);
  auto space = check(H5Dget_space(ds), name);
  const auto n = element_count(space, name, sizeof(T));
  std::vector<T> out(n);
  if (n > 0) check_status(H5Dread(ds, native_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()), name);
  return out;
}
template std::vector<std::int32_t> read_all(hid_t, const char*);
template std::vector<std::int64_t> read_all(hid_t, const char*);
template std::vector<double> read_all(hid_t, const char*);
template std::vector<std::int8_t> read_all(hid_t, const char*);
template std::vector<std::uint8_t> read_all(hid_t, const char*);

std::vector<std::string> read_strings(hid_t file, const char* name) {
  auto ds = check(H5Dopen2(file, name, H5P_DEFAULT), name);
  auto space = check(H5Dget_space(ds), name);
  const auto n = element_count(space, name, 64);  // a pointer and a string per element
  std::vector<char*> raw(n, nullptr);
  auto type = vlen_string_type();
  if (n > 0) check_status(H5Dread(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data()), name);
  std::vector<std::string> out;
  for (auto* p : raw) out.emplace_back(p ? p : "");
  if (n > 0) H5Dvlen_reclaim(type, space, H5P_DEFAULT, raw.data());
  return out;
}

}  // namespace iskabm::h5
