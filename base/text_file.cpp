#include "base/text_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "base/errors.hpp"

namespace iskabm {

namespace {
void sync_path(const char* p) {
  if (int fd = ::open(p, O_RDONLY | O_CLOEXEC); fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

std::uintmax_t check_stat(const struct stat& st, const std::string& name, std::uintmax_t max_bytes) {
  if (!S_ISREG(st.st_mode))
    throw IoError(fmt::format("{}: is {}, not a regular file; iskabm reads only regular files", name,
                              file_type_name(st.st_mode)));
  const auto size = static_cast<std::uintmax_t>(st.st_size);
  if (size > max_bytes)
    throw IoError(fmt::format("{}: is {} bytes, more than the {} bytes an input of this kind may hold", name, size,
                              max_bytes));
  return size;
}

// A unique temporary beside `path`: <path>.tmp-<pid>-<n>.
std::filesystem::path temporary_for(const std::filesystem::path& path) {
  static std::atomic<unsigned> counter{0};
  auto tmp = path;
  tmp += fmt::format(".tmp-{}-{}", ::getpid(), counter++);
  return tmp;
}
}  // namespace

std::string_view file_type_name(unsigned mode) noexcept {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISLNK(mode)) return "a symbolic link";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

std::uintmax_t require_regular_file(const std::filesystem::path& path, std::string_view label,
                                    std::uintmax_t max_bytes) {
  const std::string name = label.empty() ? path.string() : std::string(label);
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw IoError(fmt::format("{}: cannot open: {}", name, std::strerror(errno)));
  return check_stat(st, name, max_bytes);
}

std::string read_text_file(const std::filesystem::path& path, std::string_view label) {
  const std::string name = label.empty() ? path.string() : std::string(label);
  // O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused below).
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) throw IoError(fmt::format("{}: cannot open for reading: {}", name, std::strerror(errno)));
  struct Close {
    int fd;
    ~Close() { ::close(fd); }
  } close_fd{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw IoError(fmt::format("{}: cannot read: {}", name, std::strerror(errno)));
  const auto size = check_stat(st, name, text_file_cap);
  std::string out;
  out.reserve(static_cast<std::size_t>(size));
  char buf[1 << 16];
  for (;;) {
    const auto n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw IoError(fmt::format("{}: read error: {}", name, std::strerror(errno)));
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
    if (out.size() > text_file_cap)
      throw IoError(fmt::format("{}: more than the {} bytes an input of this kind may hold", name, text_file_cap));
  }
  return out;
}

void durable_rename(const std::filesystem::path& tmp, const std::filesystem::path& path) {
  sync_path(tmp.c_str());
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) throw IoError(fmt::format("{}: cannot rename to {}: {}", tmp.string(), path.string(), ec.message()));
  sync_path(path.parent_path().empty() ? "." : path.parent_path().c_str());
}

void write_text_file(const std::filesystem::path& path, std::string_view content) {
  const auto tmp = temporary_for(path);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) throw IoError(fmt::format("{}: cannot write {}: {}", path.string(), tmp.string(), std::strerror(errno)));
  bool open = true;
  try {
    std::size_t at = 0;
    while (at < content.size()) {
      const auto n = ::write(fd, content.data() + at, content.size() - at);
      if (n < 0) {
        if (errno == EINTR) continue;
        throw IoError(fmt::format("{}: write error: {}", path.string(), std::strerror(errno)));
      }
      at += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) throw IoError(fmt::format("{}: cannot sync: {}", path.string(), std::strerror(errno)));
    open = false;
    if (::close(fd) != 0) throw IoError(fmt::format("{}: write error: {}", path.string(), std::strerror(errno)));
    durable_rename(tmp, path);
  } catch (...) {
    if (open) ::close(fd);
    std::error_code ec;
    std::filesystem::remove(tmp, ec);  // no half-written leftovers
    throw;
  }
}

}  // namespace iskabm
