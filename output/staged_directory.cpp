#include "output/staged_directory.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/errors.hpp"

namespace iskabm {

namespace fs = std::filesystem;

namespace {
fs::path sibling(const fs::path& target, const char* tag) {
  auto p = target;
  p += fmt::format(".{}-{}", tag, ::getpid());
  return p;
}

void sync_path(const fs::path& p) {
  const int fd = ::open(p.c_str(), O_RDONLY);
  if (fd < 0) throw IoError(fmt::format("{}: cannot open: {}", p.string(), std::strerror(errno)));
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw IoError(fmt::format("{}: cannot sync: {}", p.string(), std::strerror(errno)));
}
}  // namespace

StagedDirectory::StagedDirectory(fs::path target) : target_(std::move(target)) {
  if (target_.filename().empty()) target_ = target_.parent_path();  // "out/" names "out"
  staging_ = sibling(target_, "tmp");
  std::error_code made;
  if (target_.has_parent_path()) fs::create_directories(target_.parent_path(), made);
  lock_ = std::make_unique<OutputLock>(target_);
  std::error_code ec;
  if (fs::exists(fs::symlink_status(target_, ec)) && !fs::is_directory(fs::symlink_status(target_, ec)))
    throw IoError(fmt::format("{}: exists and is not a directory", target_.string()));
  fs::remove_all(staging_, ec);
  fs::create_directories(staging_, ec);
  if (ec) throw IoError(fmt::format("{}: cannot create: {}", staging_.string(), ec.message()));
}

StagedDirectory::~StagedDirectory() {
  if (committed_) return;
  std::error_code ec;
  fs::remove_all(staging_, ec);
}

void StagedDirectory::commit() {
  for (const auto& entry : fs::recursive_directory_iterator(staging_))
    if (entry.is_regular_file()) sync_path(entry.path());
  sync_path(staging_);
  const auto old = sibling(target_, "old");
  std::error_code ec;
  const bool replace = fs::exists(target_, ec);
  if (replace) {
    fs::remove_all(old, ec);
    fs::rename(target_, old, ec);
    if (ec) throw IoError(fmt::format("{}: cannot move the previous output aside: {}", target_.string(), ec.message()));
  }
  fs::rename(staging_, target_, ec);
  if (ec) {
    std::error_code ignored;
    if (replace) fs::rename(old, target_, ignored);  // put the previous output back
    throw IoError(fmt::format("{}: cannot move the new output into place: {}", target_.string(), ec.message()));
  }
  committed_ = true;
  const auto parent = target_.has_parent_path() ? target_.parent_path() : fs::path(".");
  sync_path(parent);
  if (replace) fs::remove_all(old, ec);
}

}  // namespace iskabm
