#pragma once
// A small RAII layer over the HDF5 C API: one owning handle type, error-stack messages turned
// into IoError, and the few helpers the netCDF-compatible writer and reader need. The rest of
// iskabm never sees an hid_t.
#include <hdf5.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace iskabm::h5 {

// Owns an hid_t and closes it with the right H5*close.
class Handle {
 public:
  Handle() = default;
  explicit Handle(hid_t id) : id_(id) {}
  Handle(Handle&& o) noexcept : id_(std::exchange(o.id_, H5I_INVALID_HID)) {}
  Handle& operator=(Handle&& o) noexcept {
    if (this != &o) {
      reset();
      id_ = std::exchange(o.id_, H5I_INVALID_HID);
    }
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() { reset(); }
  [[nodiscard]] hid_t get() const noexcept { return id_; }
  operator hid_t() const noexcept { return id_; }  // NOLINT: used as an hid_t in C calls
  void reset() noexcept;
  // Gives up ownership without closing (after the caller closed the id itself).
  hid_t release_for_close() noexcept { return std::exchange(id_, H5I_INVALID_HID); }

 private:
  hid_t id_ = H5I_INVALID_HID;
};

// Throws IoError "<context>: <HDF5's innermost message>" if id < 0; returns a Handle otherwise.
Handle check(hid_t id, std::string_view context);
// Throws IoError if status < 0.
void check_status(herr_t status, std::string_view context);
// Silences HDF5's own printing of its error stack (errors become exceptions instead).
void silence_error_printing();
// HDF5's message for the error just raised: the API call's, followed by the system's reason
// when a read or write failed ("No space left on device").
[[nodiscard]] std::string error_message();
// Opens an existing HDF5 file read-only (error printing silenced); IoError "PATH: no such file",
// "PATH: is a FIFO, not a regular file", "PATH: an interrupted run's temporary file" (a name
// ending in .tmp) or "PATH: not an HDF5 file". Every reader of a result, posterior,
// history-match or sensitivity file opens it here.
[[nodiscard]] Handle open_read_only(const std::filesystem::path& path);
// Creates `path` for writing (error printing silenced), never opening what is there: an old file
// or a planted symbolic link at `path` is unlinked first and the file created with H5F_ACC_EXCL.
// The caller holds the output's lock (OutputLock).
[[nodiscard]] Handle create_exclusive(const std::filesystem::path& path, hid_t fcpl, hid_t fapl);

// Attributes (on any object).
void set_attribute(hid_t obj, const char* name, std::string_view value);  // fixed-length ASCII / UTF-8
void set_attribute(hid_t obj, const char* name, double value);
void set_attribute(hid_t obj, const char* name, std::int64_t value);
void set_attribute(hid_t obj, const char* name, std::uint64_t value);
void set_attribute(hid_t obj, const char* name, const std::vector<std::int32_t>& values);
void set_attribute(hid_t obj, const char* name, const std::vector<std::int8_t>& values);
[[nodiscard]] bool has_attribute(hid_t obj, const char* name);
[[nodiscard]] std::string read_string_attribute(hid_t obj, const char* name);
[[nodiscard]] std::int64_t read_int_attribute(hid_t obj, const char* name);
[[nodiscard]] double read_double_attribute(hid_t obj, const char* name);

// A variable-length UTF-8 string type (netCDF "string").
[[nodiscard]] Handle vlen_string_type();

// Reads a whole dataset of a numeric type into a vector (type conversion by HDF5).
template <class T>
std::vector<T> read_all(hid_t file, const char* name);
[[nodiscard]] std::vector<hsize_t> dims(hid_t file, const char* name);
[[nodiscard]] std::vector<std::string> read_strings(hid_t file, const char* name);

}  // namespace iskabm::h5
