#include "output/run_journal.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <vector>

#include "base/errors.hpp"
#include "base/hash.hpp"

namespace iskabm {

namespace {

constexpr char magic[8] = {'I', 'S', 'K', 'A', 'B', 'M', 'J', '1'};

class Writer {
 public:
  template <class T>
  void put(T v) {
    for (std::size_t i = 0; i < sizeof(T); ++i)
      bytes.push_back(static_cast<std::uint8_t>(static_cast<std::uint64_t>(v) >> (8 * i)));
  }
  void put_bytes(const std::uint8_t* p, std::size_t n) { bytes.insert(bytes.end(), p, p + n); }
  std::vector<std::uint8_t> bytes;
};

class Reader {
 public:
  Reader(const std::uint8_t* p, std::size_t n) : p_(p), end_(p + n) {}
  template <class T>
  bool get(T& v) {
    if (static_cast<std::size_t>(end_ - p_) < sizeof(T)) return false;
    std::uint64_t x = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i) x |= static_cast<std::uint64_t>(p_[i]) << (8 * i);
    v = static_cast<T>(x);
    p_ += sizeof(T);
    return true;
  }
  bool get_bytes(std::vector<std::uint8_t>& out, std::size_t n) {
    if (static_cast<std::size_t>(end_ - p_) < n) return false;
    out.assign(p_, p_ + n);
    p_ += n;
    return true;
  }

 private:
  const std::uint8_t* p_;
  const std::uint8_t* end_;
};

void write_all(int fd, const std::uint8_t* p, std::size_t n, const std::string& label) {
  while (n > 0) {
    const auto k = ::write(fd, p, n);
    if (k < 0) {
      if (errno == EINTR) continue;
      throw IoError(fmt::format("{}: write failed: {}", label, std::strerror(errno)));
    }
    p += k;
    n -= static_cast<std::size_t>(k);
  }
}

std::vector<std::uint8_t> encode(const PreparedReplicate& p) {
  Writer w;
  w.put<std::uint64_t>(p.replicate);
  w.put<std::uint64_t>(p.chunks.size());
  for (const auto& c : p.chunks) {
    w.put<std::uint64_t>(c.size());
    w.put_bytes(c.data(), c.size());
  }
  w.put<std::uint64_t>(p.events.size());
  for (const auto& e : p.events) {
    w.put<std::uint32_t>(static_cast<std::uint32_t>(e.day));
    w.put<std::uint32_t>(e.district);
    w.put<std::uint8_t>(e.group);
    w.put<std::uint8_t>(static_cast<std::uint8_t>(e.partner));
    w.put<std::uint8_t>(static_cast<std::uint8_t>(e.target));
    w.put<std::uint8_t>(static_cast<std::uint8_t>(e.tactic));
    w.put<std::uint32_t>(static_cast<std::uint32_t>(e.fatalities));
    w.put<std::uint8_t>(e.observed);
    w.put<std::uint8_t>(e.claimed);
    w.put<std::uint8_t>(e.joint_claimed);
    w.put<std::uint64_t>(e.cell_uid);
  }
  return std::move(w.bytes);
}

bool decode(const std::vector<std::uint8_t>& bytes, PreparedReplicate& p) {
  Reader r(bytes.data(), bytes.size());
  std::uint64_t n = 0;
  if (!r.get(p.replicate) || !r.get(n)) return false;
  p.chunks.resize(n);
  for (auto& c : p.chunks) {
    std::uint64_t size = 0;
    if (!r.get(size) || !r.get_bytes(c, size)) return false;
  }
  if (!r.get(n)) return false;
  p.events.resize(n);
  for (auto& e : p.events) {
    std::uint32_t day = 0, fatalities = 0;
    std::uint8_t partner = 0, target = 0, tactic = 0;
    if (!r.get(day) || !r.get(e.district) || !r.get(e.group) || !r.get(partner) || !r.get(target) || !r.get(tactic) ||
        !r.get(fatalities) || !r.get(e.observed) || !r.get(e.claimed) || !r.get(e.joint_claimed) || !r.get(e.cell_uid))
      return false;
    e.day = static_cast<DayNumber>(day);
    e.partner = static_cast<std::int8_t>(partner);
    e.target = static_cast<TargetClass>(target);
    e.tactic = static_cast<Tactic>(tactic);
    e.fatalities = static_cast<std::int32_t>(fatalities);
  }
  return true;
}

std::vector<std::uint8_t> header(const std::string& identity) {
  Writer w;
  w.put_bytes(reinterpret_cast<const std::uint8_t*>(magic), sizeof magic);
  w.put<std::uint64_t>(fnv1a(reinterpret_cast<const std::uint8_t*>(identity.data()), identity.size()));
  return std::move(w.bytes);
}

}  // namespace

RunJournal::RunJournal(std::filesystem::path path, const std::string& identity) : path_(std::move(path)) {
  // A fresh file of our own (the caller holds the output's lock): whatever was at the path, an
  // old journal or a planted symbolic link, is unlinked, never followed or truncated.
  if (::unlink(path_.c_str()) != 0 && errno != ENOENT)
    throw IoError(fmt::format("{}: cannot remove the old journal: {}", path_.string(), std::strerror(errno)));
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd_ < 0) throw IoError(fmt::format("{}: cannot create: {}", path_.string(), std::strerror(errno)));
  const auto h = header(identity);
  write_all(fd_, h.data(), h.size(), path_.string());
  ::fdatasync(fd_);
}

RunJournal::~RunJournal() {
  if (fd_ >= 0) ::close(fd_);
}

void RunJournal::append(const PreparedReplicate& p) {
  const auto body = encode(p);
  Writer w;
  w.put<std::uint64_t>(body.size());
  w.put_bytes(body.data(), body.size());
  w.put<std::uint64_t>(fnv1a(body.data(), body.size()));
  write_all(fd_, w.bytes.data(), w.bytes.size(), path_.string());
  // A killed process loses nothing written (the kernel has it); against power loss, sync at most
  // once a second so that fast replicates are not throttled by the disk.
  const auto now = std::chrono::steady_clock::now();
  if (now - last_sync_ >= std::chrono::seconds(1)) {
    if (::fdatasync(fd_) != 0) throw IoError(fmt::format("{}: sync failed: {}", path_.string(), std::strerror(errno)));
    last_sync_ = now;
  }
}

void RunJournal::remove() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  std::error_code ec;
  std::filesystem::remove(path_, ec);
}

std::uint64_t RunJournal::recover(const std::filesystem::path& path, const std::string& identity,
                                  const std::function<void(PreparedReplicate&&)>& replay,
                                  std::unique_ptr<RunJournal>& reopened) {
  const auto label = path.string();
  std::uint64_t file_size = 0;
  {
    const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) throw IoError(fmt::format("{}: cannot open: {}", label, std::strerror(errno)));
    struct stat st {};
    const bool regular = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    ::close(fd);
    if (!regular) throw IoError(fmt::format("{}: is not a regular file (not a run journal)", label));
    file_size = static_cast<std::uint64_t>(st.st_size);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(fmt::format("{}: cannot open: {}", label, std::strerror(errno)));
  const auto h = header(identity);
  std::vector<std::uint8_t> head(h.size());
  in.read(reinterpret_cast<char*>(head.data()), static_cast<std::streamsize>(head.size()));
  const auto got = static_cast<std::size_t>(in.gcount());
  std::uint64_t n = 0;
  std::size_t good = 0;  // bytes of the journal that are intact
  if (got < h.size()) {
    // Killed before the header was complete: nothing was recorded; start the journal afresh.
    if (got > 0 && !std::equal(head.begin(), head.begin() + static_cast<long>(std::min(got, sizeof magic)), h.begin()))
      throw IoError(fmt::format("{}: not an iskabm run journal", label));
  } else {
    if (!std::equal(h.begin(), h.begin() + sizeof magic, head.begin()))
      throw IoError(fmt::format("{}: not an iskabm run journal", label));
    if (!std::equal(h.begin(), h.end(), head.begin()))
      throw UsageError(
          fmt::format("{}: comes from another scenario, seed, first replicate or program version; "
                      "remove it (and the .tmp) to start afresh",
                      label));
    good = h.size();
    // One record at a time: memory stays bounded however long the journal is.
    std::vector<std::uint8_t> body;
    for (;;) {
      std::uint8_t word[8];
      const auto read_word = [&](std::uint64_t& v) {
        in.read(reinterpret_cast<char*>(word), 8);
        if (in.gcount() != 8) return false;
        Reader r(word, 8);
        return r.get(v);
      };
      std::uint64_t size = 0, sum = 0;
      if (!read_word(size) || size > file_size - good) break;  // torn tail (or garbage)
      body.resize(size);
      in.read(reinterpret_cast<char*>(body.data()), static_cast<std::streamsize>(size));
      if (static_cast<std::uint64_t>(in.gcount()) != size || !read_word(sum)) break;
      if (sum != fnv1a(body.data(), body.size())) break;
      PreparedReplicate p;
      if (!decode(body, p)) break;
      replay(std::move(p));
      ++n;
      good += 16 + size;
    }
  }
  std::unique_ptr<RunJournal> j(new RunJournal());
  j->path_ = path;
  j->fd_ = ::open(path.c_str(), O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
  if (j->fd_ < 0 || ::ftruncate(j->fd_, static_cast<off_t>(good)) != 0 || ::lseek(j->fd_, 0, SEEK_END) < 0)
    throw IoError(fmt::format("{}: cannot reopen for appending: {}", label, std::strerror(errno)));
  if (good == 0) write_all(j->fd_, h.data(), h.size(), label);
  reopened = std::move(j);
  return n;
}

void RunJournal::sync() {
  if (fd_ >= 0 && ::fdatasync(fd_) != 0)
    throw IoError(fmt::format("{}: sync failed: {}", path_.string(), std::strerror(errno)));
}

}  // namespace iskabm
