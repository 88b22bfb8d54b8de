#include "base/text_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "base/errors.hpp"

namespace iskabm {

namespace {
void sync_path(const char* p) {
  if (int fd = ::open(p, O_RDONLY); fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}
}  // namespace

std::string read_text_file(const std::filesystem::path& path, std::string_view label) {
  const std::string name = label.empty() ? path.string() : std::string(label);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(fmt::format("{}: cannot open for reading: {}", name, std::strerror(errno)));
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) throw IoError(fmt::format("{}: read error", name));
  return std::move(buf).str();
}

void durable_rename(const std::filesystem::path& tmp, const std::filesystem::path& path) {
  sync_path(tmp.c_str());
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) throw IoError(fmt::format("{}: cannot rename to {}: {}", tmp.string(), path.string(), ec.message()));
  sync_path(path.parent_path().empty() ? "." : path.parent_path().c_str());
}

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
    durable_rename(tmp, path);
  } catch (...) {
    std::error_code ec;
    std::filesystem::remove(tmp, ec);  // no half-written leftovers
    throw;
  }
}

}  // namespace iskabm
