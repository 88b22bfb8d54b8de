// The output policy, the output lock and the checks on input files (issue 20): a file that was
// good before a command is good after it.
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "base/errors.hpp"
#include "base/output_lock.hpp"
#include "base/output_policy.hpp"
#include "base/text_file.hpp"

using namespace iskabm;
namespace fs = std::filesystem;

namespace {
struct Scratch {
  fs::path dir = fs::temp_directory_path() / fmt::format("iskabm_test_output_safety_{}", ::getpid());
  Scratch() {
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  ~Scratch() { fs::remove_all(dir); }
};

// Runs `f` in a child process; returns its exit status (the lock is per process).
template <class F>
int in_child(F f) {
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(f());
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
}  // namespace

TEST_CASE("output policy: an output that is an input is refused, naming both", "[base][safety]") {
  Scratch s;
  const auto input = s.dir / "run.h5";
  write_text_file(input, "result");
  CHECK_THROWS_AS(check_outputs({{input, TargetKind::file, "--csv"}}, {input}), UsageError);
  CHECK_THROWS_WITH(check_outputs({{s.dir / "." / "run.h5", TargetKind::file, "--csv"}}, {input}),
                    Catch::Contains("is the input " + input.string()));
  fs::create_hard_link(input, s.dir / "link.h5");
  CHECK_THROWS_AS(check_outputs({{s.dir / "link.h5", TargetKind::file, "-o"}}, {input}), UsageError);
  // The output's temporary, journal and lock are held to the same rule.
  write_text_file(s.dir / "x.h5.journal", "j");
  CHECK_THROWS_WITH(check_outputs({{s.dir / "x.h5", TargetKind::file, "-o"}}, {s.dir / "x.h5.journal"}),
                    Catch::Contains("x.h5.journal is the input"));
  // A directory replaced whole must not hold an input; a directory written into may.
  CHECK_THROWS_WITH(check_outputs({{s.dir, TargetKind::replaced_directory, "--csv"}}, {input}),
                    Catch::Contains("would replace the directory holding the input"));
  CHECK_NOTHROW(check_outputs({{s.dir, TargetKind::directory, "-o"}}, {input}));
  // Nothing is written into a directory iskabm reads from (the data directory).
  fs::create_directories(s.dir / "data");
  CHECK_THROWS_WITH(check_outputs({{s.dir / "data" / "x.h5", TargetKind::file, "-o"}}, {s.dir / "data"}),
                    Catch::Contains("a directory iskabm reads from"));
  // Other outputs and missing inputs are fine; empty paths are skipped.
  CHECK_NOTHROW(
      check_outputs({{s.dir / "new" / "deeper" / "out.h5", TargetKind::file, "-o"}, {"", TargetKind::file, ""}},
                    {input, s.dir / "missing.toml", ""}));
  CHECK(fs::exists(input));
  CHECK_FALSE(fs::exists(s.dir / "new"));  // checking writes nothing
  // Two targets naming the same output.
  CHECK_THROWS_WITH(
      check_outputs({{s.dir / "o.h5", TargetKind::file, "-o"}, {s.dir / "o.h5", TargetKind::file, "--csv"}}, {}),
      Catch::Contains("name the same output"));
}

TEST_CASE("output policy: non-regular targets are refused, not replaced", "[base][safety]") {
  Scratch s;
  CHECK_THROWS_WITH(check_outputs({{"/dev/null", TargetKind::file, "-o"}}, {}), Catch::Contains("is a device"));
  write_text_file(s.dir / "target.txt", "precious");
  fs::create_symlink(s.dir / "target.txt", s.dir / "link.h5");
  CHECK_THROWS_WITH(check_outputs({{s.dir / "link.h5", TargetKind::file, "-o"}}, {}),
                    Catch::Contains("is a symbolic link"));
  CHECK_THROWS_WITH(check_outputs({{s.dir, TargetKind::file, "-o"}}, {}), Catch::Contains("is a directory"));
  CHECK_THROWS_WITH(check_outputs({{s.dir / "target.txt", TargetKind::replaced_directory, "--csv"}}, {}),
                    Catch::Contains("expected a directory"));
  REQUIRE(::mkfifo((s.dir / "fifo").c_str(), 0644) == 0);
  CHECK_THROWS_WITH(check_outputs({{s.dir / "fifo", TargetKind::file, "-o"}}, {}), Catch::Contains("is a FIFO"));
  CHECK_THROWS_WITH(check_outputs({{s.dir / "target.txt" / "x.h5", TargetKind::file, "-o"}}, {}),
                    Catch::Contains("is not a directory"));
  CHECK(read_text_file(s.dir / "target.txt") == "precious");
}

TEST_CASE("output lock: a second process is refused at once, the lock is re-entrant and removed", "[base][safety]") {
  Scratch s;
  const auto out = s.dir / "run.h5";
  {
    const OutputLock lock(out);
    CHECK(fs::exists(s.dir / "run.h5.lock"));
    { const OutputLock again(out); }  // the same process: re-entrant
    CHECK(fs::exists(s.dir / "run.h5.lock"));
    const int child = in_child([&] {
      try {
        const OutputLock other(out);
        return 0;
      } catch (const BusyError& e) {
        return std::string(e.what()).find("is being written by another process") != std::string::npos ? 75 : 1;
      } catch (...) {
        return 2;
      }
    });
    CHECK(child == 75);
  }
  CHECK_FALSE(fs::exists(s.dir / "run.h5.lock"));
  CHECK(in_child([&] {
          const OutputLock other(out);
          return 0;
        }) == 0);
  // A planted link at the lock path is refused, never followed.
  write_text_file(s.dir / "victim", "keep");
  fs::create_symlink(s.dir / "victim", s.dir / "v.h5.lock");
  CHECK_THROWS_WITH(OutputLock(s.dir / "v.h5"), Catch::Contains("is a symbolic link"));
  CHECK(read_text_file(s.dir / "victim") == "keep");
}

TEST_CASE("input files: only regular files, under a size cap, and a FIFO never hangs", "[base][safety]") {
  Scratch s;
  REQUIRE(::mkfifo((s.dir / "fifo.toml").c_str(), 0644) == 0);
  CHECK_THROWS_WITH(read_text_file(s.dir / "fifo.toml"), Catch::Contains("is a FIFO, not a regular file"));
  CHECK_THROWS_WITH(read_text_file("/dev/zero"), Catch::Contains("is a device"));
  CHECK_THROWS_WITH(read_text_file(s.dir), Catch::Contains("is a directory"));
  write_text_file(s.dir / "a.txt", std::string(100, 'x'));
  CHECK(require_regular_file(s.dir / "a.txt") == 100);
  CHECK_THROWS_WITH(require_regular_file(s.dir / "a.txt", "the spec", 99),
                    Catch::StartsWith("the spec: is 100 bytes, more than"));
  CHECK_THROWS_AS(require_regular_file(s.dir / "none"), IoError);
  // A written file leaves no temporary behind.
  for (const auto& e : fs::directory_iterator(s.dir))
    CHECK(e.path().filename().string().find(".tmp") == std::string::npos);
}
