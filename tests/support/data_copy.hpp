#pragma once
// A private copy of the bundled data directory that a test may break on purpose: malformed
// fixtures are the real files with one line changed, so every error test also proves that the
// unmodified line passes.
#include <catch2/catch.hpp>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace iskabm::test {

inline std::filesystem::path bundled_data_dir() { return ISKABM_TEST_DATA_DIR; }

// A fresh, empty temporary directory removed at scope exit.
class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("iskabm-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

class DataCopy {
 public:
  DataCopy() {
    std::filesystem::copy(bundled_data_dir(), dir(), std::filesystem::copy_options::recursive);
    for (auto& e : std::filesystem::recursive_directory_iterator(dir()))
      std::filesystem::permissions(e.path(), std::filesystem::perms::owner_write, std::filesystem::perm_options::add);
  }
  [[nodiscard]] std::filesystem::path dir() const { return tmp_.path() / "data"; }

  [[nodiscard]] std::vector<std::string> lines(const std::string& file) const {
    std::ifstream in(dir() / file);
    REQUIRE(in);
    std::vector<std::string> out;
    for (std::string l; std::getline(in, l);) {
      if (!l.empty() && l.back() == '\r') l.pop_back();  // some bundled files use CRLF
      out.push_back(l);
    }
    return out;
  }
  void write_lines(const std::string& file, const std::vector<std::string>& ls) const {
    std::ofstream out(dir() / file, std::ios::trunc);
    for (const auto& l : ls) out << l << '\n';
  }
  // Replaces the first occurrence of `from` on 1-based `line` of `file` by `to`.
  void edit(const std::string& file, std::size_t line, const std::string& from, const std::string& to) const {
    auto ls = lines(file);
    REQUIRE(line >= 1);
    REQUIRE(line <= ls.size());
    auto& l = ls[line - 1];
    const auto k = l.find(from);
    INFO(file << ":" << line << " = " << l);
    REQUIRE(k != std::string::npos);
    l.replace(k, from.size(), to);
    write_lines(file, ls);
  }
  void replace_line(const std::string& file, std::size_t line, const std::string& text) const {
    auto ls = lines(file);
    REQUIRE(line <= ls.size());
    ls[line - 1] = text;
    write_lines(file, ls);
  }
  void append_line(const std::string& file, const std::string& text) const {
    auto ls = lines(file);
    ls.push_back(text);
    write_lines(file, ls);
  }
  void remove_line(const std::string& file, std::size_t line) const {
    auto ls = lines(file);
    REQUIRE(line <= ls.size());
    ls.erase(ls.begin() + static_cast<std::ptrdiff_t>(line - 1));
    write_lines(file, ls);
  }
  [[nodiscard]] std::string label(const std::string& file) const { return (dir() / file).string(); }

 private:
  TempDir tmp_;
};

}  // namespace iskabm::test

// Checks that `expr` throws iskabm::DataError naming `file_suffix`, `line_no` and `field_name`
// (and that what() carries all three).
#define REQUIRE_DATA_ERROR(expr, file_label, line_no, field_name, message_part)                   \
  do {                                                                                            \
    try {                                                                                         \
      (void)(expr);                                                                               \
      FAIL("expected a DataError");                                                               \
    } catch (const iskabm::DataError& e_) {                                                       \
      INFO("what(): " << e_.what());                                                              \
      CHECK(e_.file() == (file_label));                                                           \
      CHECK(e_.line() == static_cast<std::size_t>(line_no));                                      \
      CHECK(e_.field() == std::string(field_name));                                               \
      CHECK_THAT(e_.message(), Catch::Matchers::Contains(message_part));                          \
      const std::string where_ = (file_label) + ":" + std::to_string(line_no);                    \
      if ((line_no) > 0) CHECK_THAT(std::string(e_.what()), Catch::Matchers::StartsWith(where_)); \
      if (std::string(field_name).size())                                                         \
        CHECK_THAT(std::string(e_.what()), Catch::Matchers::Contains(std::string(field_name)));   \
    }                                                                                             \
  } while (0)
