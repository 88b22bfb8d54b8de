#include "output/text_file.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "model/errors.hpp"
#include "output/netcdf_writer.hpp"

namespace iskabm {

void write_text_file(const std::filesystem::path& path, std::string_view content) {
  auto tmp = path;
  tmp += ".tmp";
  try {
    {
      std::ofstream out(tmp, std::ios::binary);
      if (!out) throw IoError(fmt::format("{}: cannot write: {}", tmp.string(), std::strerror(errno)));
      out.write(content.data(), static_cast<std::streamsize>(content.size()));
      if (!out.flush()) throw IoError(fmt::format("{}: write error", tmp.string()));
    }
    h5::durable_rename(tmp, path);
  } catch (...) {
    std::error_code ec;
    std::filesystem::remove(tmp, ec);  // no half-written leftovers
    throw;
  }
}

}  // namespace iskabm
