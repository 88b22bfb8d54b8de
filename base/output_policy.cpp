#include "base/output_policy.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "base/errors.hpp"
#include "base/text_file.hpp"

namespace iskabm {

namespace fs = std::filesystem;

namespace {

std::optional<struct stat> lstat_of(const fs::path& p) {
  struct stat st {};
  if (::lstat(p.c_str(), &st) != 0) return std::nullopt;
  return st;
}

std::optional<struct stat> stat_of(const fs::path& p) {
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) return std::nullopt;
  return st;
}

bool same_file(const struct stat& a, const struct stat& b) { return a.st_dev == b.st_dev && a.st_ino == b.st_ino; }

// `inner` is `outer` or lies below it (both made canonical as far as they exist).
bool within(const fs::path& inner, const fs::path& outer) {
  std::error_code ec;
  const auto i = fs::weakly_canonical(fs::absolute(inner, ec), ec);
  const auto o = fs::weakly_canonical(fs::absolute(outer, ec), ec);
  if (ec) return false;
  auto a = o.begin(), b = i.begin();
  for (; a != o.end(); ++a, ++b) {
    if (a->empty()) continue;  // a trailing separator
    if (b == i.end() || *a != *b) return false;
  }
  return true;
}

std::string named(const OutputTarget& t) {
  return t.option.empty() ? t.path.string() : fmt::format("{} {}", t.option, t.path.string());
}

void check_against_inputs(const OutputTarget& t, const std::vector<fs::path>& inputs) {
  std::vector<fs::path> written{t.path};
  if (t.kind == TargetKind::file)
    for (const char* suffix : {".tmp", ".journal", ".lock"}) written.push_back(fs::path(t.path) += suffix);
  for (const auto& input : inputs) {
    if (input.empty()) continue;
    const auto in = stat_of(input);
    if (!in) continue;
    if (S_ISDIR(in->st_mode)) {
      if (within(t.path, input))
        throw UsageError(
            fmt::format("refusing to write {}: it lies in {}, a directory iskabm reads from (choose "
                        "another output; nothing was written)",
                        named(t), input.string()));
      if (t.kind != TargetKind::file && within(input, t.path))
        throw UsageError(
            fmt::format("refusing to write {}: it would replace the directory holding the input {} "
                        "(nothing was written)",
                        named(t), input.string()));
      continue;
    }
    for (const auto& w : written)
      if (const auto out = stat_of(w); out && same_file(*out, *in))
        throw UsageError(
            fmt::format("refusing to write {}: {} is the input {} (it would be destroyed; choose "
                        "another output, nothing was written)",
                        named(t), w.string(), input.string()));
    if (t.kind == TargetKind::replaced_directory && within(input, t.path))
      throw UsageError(
          fmt::format("refusing to write {}: it would replace the directory holding the input {} "
                      "(nothing was written)",
                      named(t), input.string()));
  }
}

void check_target(const OutputTarget& t) {
  auto target = t.path;
  if (target.filename().empty()) target = target.parent_path();
  if (const auto st = lstat_of(target)) {
    const bool ok = t.kind == TargetKind::file ? S_ISREG(st->st_mode) : S_ISDIR(st->st_mode);
    if (!ok)
      throw UsageError(fmt::format(
          "refusing to write {}: it exists and is {}{} (nothing was written)", named(t), file_type_name(st->st_mode),
          t.kind == TargetKind::file ? "; iskabm replaces only regular files" : "; expected a directory"));
  }
  // The nearest existing ancestor of the target must be a writable directory.
  std::error_code ec;
  auto dir = fs::absolute(target, ec).parent_path();
  while (!dir.empty() && !lstat_of(dir) && dir != dir.parent_path()) dir = dir.parent_path();
  const auto st = stat_of(dir);
  if (!st || !S_ISDIR(st->st_mode))
    throw UsageError(
        fmt::format("refusing to write {}: {} is not a directory (nothing was written)", named(t), dir.string()));
  if (::access(dir.c_str(), W_OK | X_OK) != 0)
    throw UsageError(fmt::format("cannot write {}: the directory {} is not writable: {} (nothing was written)",
                                 named(t), dir.string(), std::strerror(errno)));
}

}  // namespace

void check_outputs(const std::vector<OutputTarget>& targets, const std::vector<fs::path>& inputs) {
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const auto& t = targets[i];
    if (t.path.empty()) continue;
    check_target(t);
    check_against_inputs(t, inputs);
    for (std::size_t j = 0; j < i; ++j)
      if (!targets[j].path.empty() && (within(t.path, targets[j].path) && within(targets[j].path, t.path)))
        throw UsageError(fmt::format("{} and {} name the same output", named(targets[j]), named(t)));
  }
}

}  // namespace iskabm
