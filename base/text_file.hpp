#pragma once
// Whole text files: read in one piece, written in one piece. A written file appears at its final
// path only when whole (<path>.tmp, flushed, then durably renamed), so a reader never sees half
// of one. Both throw IoError naming the path and the system's reason.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace iskabm {

// What a file of mode `mode` (from stat/lstat) is, for messages: "a directory", "a symbolic link",
// "a device", "a FIFO", "a socket", else "not a regular file".
[[nodiscard]] std::string_view file_type_name(unsigned mode) noexcept;

// The most a text input may hold (scenarios, specs, data tables, posterior particles).
inline constexpr std::uintmax_t text_file_cap = std::uintmax_t{256} << 20;

// Throws IoError unless `path` names a regular file (after symbolic links) no larger than
// `max_bytes`: a FIFO would hang a reader and a device (/dev/zero) never end. `label` names the
// file in errors (default: the path). Returns its size.
std::uintmax_t require_regular_file(const std::filesystem::path& path, std::string_view label = {},
                                    std::uintmax_t max_bytes = UINTMAX_MAX);

// The bytes of `path`, a regular file of at most text_file_cap bytes. `label` names the file in
// errors (default: the path).
[[nodiscard]] std::string read_text_file(const std::filesystem::path& path, std::string_view label = {});

// Writes `content` to `path` through a temporary file of its own beside it (created with
// O_EXCL|O_NOFOLLOW: never another writer's, never a planted link's target) and a durable rename.
void write_text_file(const std::filesystem::path& path, std::string_view content);

// Renames a complete temporary file to its final path, syncing the file and its directory first
// and after, so a crash leaves the old file or the new one, never a torn one.
void durable_rename(const std::filesystem::path& tmp, const std::filesystem::path& path);

}  // namespace iskabm
