#pragma once
// Small text outputs (CSV tables of compare, score, check-fit, coverage) written whole: to
// <path>.tmp, then durably renamed, so a reader never sees half a table. Throws IoError.
#include <filesystem>
#include <string_view>

namespace iskabm {

void write_text_file(const std::filesystem::path& path, std::string_view content);

}  // namespace iskabm
