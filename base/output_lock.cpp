#include "base/output_lock.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <string>

#include "base/errors.hpp"

namespace iskabm {

namespace {

struct Held {
  int fd = -1;  // -1: the file system has no flock(2); nothing to release but the count
  int count = 0;
  std::filesystem::path file;
  pid_t owner = 0;  // a forked child inherits the map, not the lock
};

std::mutex& registry_mutex() {
  static std::mutex m;
  return m;
}
std::map<std::filesystem::path, Held>& registry() {
  static std::map<std::filesystem::path, Held> held;
  return held;
}

std::string holder_of(const std::filesystem::path& file) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return {};
  char buf[32] = {};
  const auto n = ::read(fd, buf, sizeof buf - 1);
  ::close(fd);
  std::string pid(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
  while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
  return pid.find_first_not_of("0123456789") == std::string::npos && !pid.empty() ? fmt::format(" (pid {})", pid)
                                                                                  : std::string();
}

// Takes the lock: the file at `file` is created if need be and locked; if it was replaced or
// removed between open and flock (its holder released it meanwhile), retry on the new one.
int acquire(const std::filesystem::path& target, const std::filesystem::path& file) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0644);
    if (fd < 0) {
      if (errno == ELOOP)
        throw IoError(fmt::format("{}: is a symbolic link; refusing to follow it (remove it)", file.string()));
      throw IoError(
          fmt::format("{}: cannot create the lock of {}: {}", file.string(), target.string(), std::strerror(errno)));
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      ::close(fd);
      throw IoError(fmt::format("{}: is not a regular file; cannot lock {}", file.string(), target.string()));
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int e = errno;
      if (e == EWOULDBLOCK) {
        ::close(fd);
        throw BusyError(
            fmt::format("{} is being written by another process{}; nothing was changed (wait for it "
                        "to finish, or write elsewhere with -o)",
                        target.string(), holder_of(file)));
      }
      if (e == ENOLCK || e == EOPNOTSUPP || e == ENOSYS) {  // no flock here: go without
        ::close(fd);
        return -1;
      }
      ::close(fd);
      throw IoError(fmt::format("{}: cannot lock: {}", file.string(), std::strerror(e)));
    }
    struct stat now {};
    if (::lstat(file.c_str(), &now) == 0 && now.st_dev == st.st_dev && now.st_ino == st.st_ino) {
      const auto pid = fmt::format("{}\n", ::getpid());
      if (::ftruncate(fd, 0) == 0 && ::write(fd, pid.data(), pid.size()) < 0) {
        // the pid is only for the message of a refused second writer
      }
      return fd;
    }
    ::close(fd);  // locked a file its holder had just removed: take the new one
  }
  throw IoError(fmt::format("{}: cannot lock {} (the lock file keeps changing)", file.string(), target.string()));
}

}  // namespace

std::filesystem::path OutputLock::path_for(const std::filesystem::path& target) {
  auto p = target;
  if (p.filename().empty()) p = p.parent_path();  // "out/" names "out"
  p += ".lock";
  return p;
}

OutputLock::OutputLock(const std::filesystem::path& target)
    : key_(std::filesystem::absolute(path_for(target)).lexically_normal()) {
  const std::lock_guard guard(registry_mutex());
  auto& held = registry();
  if (const auto it = held.find(key_); it != held.end()) {
    if (it->second.owner == ::getpid()) {
      ++it->second.count;
      return;
    }
    held.erase(it);  // the parent's, in a forked child: take the lock for this process
  }
  const int fd = acquire(target, key_);
  held.emplace(key_, Held{fd, 1, key_, ::getpid()});
}

OutputLock::~OutputLock() {
  const std::lock_guard guard(registry_mutex());
  auto& held = registry();
  const auto it = held.find(key_);
  if (it == held.end() || it->second.owner != ::getpid() || --it->second.count > 0) return;
  if (it->second.fd >= 0) {
    ::unlink(it->second.file.c_str());  // while still holding it: a waiter re-checks the inode
    ::close(it->second.fd);
  }
  held.erase(it);
}

}  // namespace iskabm
