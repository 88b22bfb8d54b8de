#pragma once
// Reading TOML configuration with positions: every value is read through a ConfigTable, which
// checks its type and range, and reports problems as DataError "file:line:column: key: message".
// Keys outside a table's schema are rejected by reject_unknown_keys() with a "did you mean"
// suggestion. toml++ stays inside model/config_table.cpp.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/calendar.hpp"

namespace iskabm {

class ConfigDocument;

// A view of one TOML table of a document, with the dotted path that leads to it.
class ConfigTable {
 public:
  [[nodiscard]] bool has(std::string_view key) const;
  [[nodiscard]] bool is_integer(std::string_view key) const;  // present and a TOML integer
  [[nodiscard]] std::vector<std::string> keys() const;  // in file order

  [[nodiscard]] double number(std::string_view key) const;  // integer or float
  [[nodiscard]] double number_in(std::string_view key, double min, double max) const;
  [[nodiscard]] std::optional<double> optional_number_in(std::string_view key, double min, double max) const;
  [[nodiscard]] std::int64_t integer_in(std::string_view key, std::int64_t min, std::int64_t max) const;
  [[nodiscard]] std::uint64_t unsigned_integer(std::string_view key) const;  // 0 .. 2^63-1
  [[nodiscard]] bool boolean(std::string_view key) const;
  [[nodiscard]] std::string string(std::string_view key) const;
  [[nodiscard]] std::string string_of(std::string_view key, const std::vector<std::string_view>& allowed) const;
  [[nodiscard]] std::vector<std::string> strings(std::string_view key) const;  // array of strings
  [[nodiscard]] CivilDate date(std::string_view key) const;                    // TOML date or "YYYY-MM-DD"
  [[nodiscard]] ConfigTable table(std::string_view key) const;
  [[nodiscard]] std::vector<ConfigTable> tables(std::string_view key) const;  // array of tables

  // Throws for the first key of this table (in file order) that is not in `allowed`.
  void reject_unknown_keys(const std::vector<std::string_view>& allowed) const;

  // Errors positioned at a key (its value's position) or at this table.
  [[noreturn]] void fail(std::string_view key, const std::string& message) const;
  [[noreturn]] void fail_here(const std::string& message) const;
  [[nodiscard]] std::string path(std::string_view key) const;  // "group[0].footholds"

 private:
  friend class ConfigDocument;
  ConfigTable(const ConfigDocument* doc, const void* table, std::string path);
  const void* node(std::string_view key) const;  // toml::node* or nullptr
  const ConfigDocument* doc_;
  const void* table_;  // const toml::table*
  std::string path_;
};

// A parsed TOML file. Syntax errors throw DataError with line and column.
class ConfigDocument {
 public:
  static std::shared_ptr<ConfigDocument> parse_file(const std::filesystem::path& file);
  static std::shared_ptr<ConfigDocument> parse_text(std::string_view text, std::string label);
  ~ConfigDocument();
  ConfigDocument(const ConfigDocument&) = delete;
  ConfigDocument& operator=(const ConfigDocument&) = delete;

  [[nodiscard]] ConfigTable root() const;
  [[nodiscard]] const std::string& label() const noexcept { return label_; }

 private:
  friend class ConfigTable;
  ConfigDocument();
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string label_;
};

// The closest of `candidates` to `word` (a small edit distance, or the shortest candidate that
// contains it), or empty.
[[nodiscard]] std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace iskabm
