#pragma once
// Whole text files: read in one piece, written in one piece. A written file appears at its final
// path only when whole (<path>.tmp, flushed, then durably renamed), so a reader never sees half
// of one. Both throw IoError naming the path and the system's reason.
#include <filesystem>
#include <string>
#include <string_view>

namespace iskabm {

// The bytes of `path`. `label` names the file in errors (default: the path).
[[nodiscard]] std::string read_text_file(const std::filesystem::path& path, std::string_view label = {});

// Writes `content` to `path` through `path`.tmp and a durable rename.
void write_text_file(const std::filesystem::path& path, std::string_view content);

// Renames a complete temporary file to its final path, syncing the file and its directory first
// and after, so a crash leaves the old file or the new one, never a torn one.
void durable_rename(const std::filesystem::path& tmp, const std::filesystem::path& path);

}  // namespace iskabm
