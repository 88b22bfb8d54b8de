#include "config/config_table.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

#include "base/errors.hpp"
#include "base/text_file.hpp"

namespace iskabm {

struct ConfigDocument::Impl {
  toml::table root;
};

ConfigDocument::ConfigDocument() : impl_(std::make_unique<Impl>()) {}
ConfigDocument::~ConfigDocument() = default;

std::shared_ptr<ConfigDocument> ConfigDocument::parse_text(std::string_view text, std::string label) {
  std::shared_ptr<ConfigDocument> doc(new ConfigDocument());
  doc->label_ = std::move(label);
  try {
    doc->impl_->root = toml::parse(text, doc->label_);
  } catch (const toml::parse_error& e) {
    const auto& b = e.source().begin;
    throw DataError(doc->label_, b.line, b.column, "", fmt::format("TOML syntax error: {}", e.description()));
  }
  return doc;
}

std::shared_ptr<ConfigDocument> ConfigDocument::parse_file(const std::filesystem::path& file) {
  return parse_text(read_text_file(file), file.string());
}

ConfigTable ConfigDocument::root() const { return ConfigTable(this, &impl_->root, ""); }

ConfigTable::ConfigTable(const ConfigDocument* doc, const void* table, std::string path)
    : doc_(doc), table_(table), path_(std::move(path)) {}

namespace {
const toml::table& as_table(const void* p) { return *static_cast<const toml::table*>(p); }

std::string_view type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::table: return "table";
    case toml::node_type::array: return "array";
    case toml::node_type::string: return "string";
    case toml::node_type::integer: return "integer";
    case toml::node_type::floating_point: return "float";
    case toml::node_type::boolean: return "boolean";
    case toml::node_type::date: return "date";
    case toml::node_type::time: return "time";
    case toml::node_type::date_time: return "date-time";
    default: return "nothing";
  }
}
}  // namespace

std::string ConfigTable::path(std::string_view key) const {
  return path_.empty() ? std::string(key) : fmt::format("{}.{}", path_, key);
}

bool ConfigTable::has(std::string_view key) const { return as_table(table_).contains(key); }

bool ConfigTable::is_integer(std::string_view key) const {
  const auto* n = as_table(table_).get(key);
  return n && n->is_integer();
}

std::vector<std::string> ConfigTable::keys() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : as_table(table_)) out.emplace_back(k.str());
  return out;
}

const void* ConfigTable::node(std::string_view key) const { return as_table(table_).get(key); }

void ConfigTable::fail(std::string_view key, const std::string& message) const {
  const auto* n = as_table(table_).get(key);
  const auto& src = n ? n->source() : as_table(table_).source();
  throw DataError(doc_->label_, src.begin.line, src.begin.column, path(key), message);
}

void ConfigTable::fail_here(const std::string& message) const {
  const auto& src = as_table(table_).source();
  throw DataError(doc_->label_, src.begin.line, src.begin.column, path_, message);
}

namespace {
const toml::node& require(const ConfigTable& t, const void* n, std::string_view key) {
  if (!n) t.fail_here(fmt::format("missing required key '{}'", key));
  return *static_cast<const toml::node*>(n);
}
}  // namespace

double ConfigTable::number(std::string_view key) const {
  const auto& n = require(*this, node(key), key);
  if (auto i = n.value_exact<std::int64_t>()) return static_cast<double>(*i);
  if (auto f = n.value_exact<double>()) {
    if (!std::isfinite(*f)) fail(key, "must be a finite number");
    return *f;
  }
  fail(key, fmt::format("has type {}, expected a number", type_name(n)));
}

double ConfigTable::number_in(std::string_view key, double min, double max) const {
  const double v = number(key);
  if (v < min || v > max) fail(key, fmt::format("{} is out of range [{}, {}]", v, min, max));
  return v;
}

std::optional<double> ConfigTable::optional_number_in(std::string_view key, double min, double max) const {
  if (!has(key)) return std::nullopt;
  return number_in(key, min, max);
}

std::int64_t ConfigTable::integer_in(std::string_view key, std::int64_t min, std::int64_t max) const {
  const auto& n = require(*this, node(key), key);
  auto i = n.value_exact<std::int64_t>();
  if (!i) fail(key, fmt::format("has type {}, expected an integer", type_name(n)));
  if (*i < min || *i > max) fail(key, fmt::format("{} is out of range [{}, {}]", *i, min, max));
  return *i;
}

std::uint64_t ConfigTable::unsigned_integer(std::string_view key) const {
  return static_cast<std::uint64_t>(integer_in(key, 0, INT64_MAX));
}

bool ConfigTable::boolean(std::string_view key) const {
  const auto& n = require(*this, node(key), key);
  auto b = n.value_exact<bool>();
  if (!b) fail(key, fmt::format("has type {}, expected true or false", type_name(n)));
  return *b;
}

std::string ConfigTable::string(std::string_view key) const {
  const auto& n = require(*this, node(key), key);
  auto s = n.value_exact<std::string>();
  if (!s) fail(key, fmt::format("has type {}, expected a string", type_name(n)));
  return *s;
}

std::string ConfigTable::string_of(std::string_view key, const std::vector<std::string_view>& allowed) const {
  auto s = string(key);
  if (std::find(allowed.begin(), allowed.end(), s) != allowed.end()) return s;
  std::vector<std::string> names(allowed.begin(), allowed.end());
  const auto hint = closest_match(s, names);
  fail(key, fmt::format("unknown value '{}'{}; expected one of: {}", s,
                        hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint), fmt::join(names, ", ")));
}

std::vector<std::string> ConfigTable::strings(std::string_view key) const {
  const auto& n = require(*this, node(key), key);
  const auto* arr = n.as_array();
  if (!arr) fail(key, fmt::format("has type {}, expected an array of strings", type_name(n)));
  std::vector<std::string> out;
  for (const auto& e : *arr) {
    auto s = e.value_exact<std::string>();
    if (!s) {
      const auto& b = e.source().begin;
      throw DataError(doc_->label_, b.line, b.column, path(key),
                      fmt::format("element has type {}, expected a string", type_name(e)));
    }
    out.push_back(*s);
  }
  return out;
}

CivilDate ConfigTable::date(std::string_view key) const {
  const auto& n = require(*this, node(key), key);
  if (auto d = n.value_exact<toml::date>()) {
    CivilDate c{d->year, d->month, d->day};
    if (!is_valid(c)) fail(key, "is not a valid date");
    return c;
  }
  if (auto s = n.value_exact<std::string>()) {
    if (auto c = parse_iso_date(*s)) return *c;
    fail(key, fmt::format("cannot parse '{}' as a date (expected YYYY-MM-DD)", *s));
  }
  fail(key, fmt::format("has type {}, expected a date (YYYY-MM-DD)", type_name(n)));
}

ConfigTable ConfigTable::table(std::string_view key) const {
  const auto& n = require(*this, node(key), key);
  const auto* t = n.as_table();
  if (!t) fail(key, fmt::format("has type {}, expected a table", type_name(n)));
  return ConfigTable(doc_, t, path(key));
}

std::vector<ConfigTable> ConfigTable::tables(std::string_view key) const {
  std::vector<ConfigTable> out;
  const auto* p = node(key);
  if (!p) return out;
  const auto& n = *static_cast<const toml::node*>(p);
  const auto* arr = n.as_array();
  if (!arr) fail(key, fmt::format("has type {}, expected an array of tables ([[{}]])", type_name(n), key));
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const auto* t = (*arr)[i].as_table();
    if (!t) {
      const auto& b = (*arr)[i].source().begin;
      throw DataError(doc_->label_, b.line, b.column, path(key), "expected a table");
    }
    out.push_back(ConfigTable(doc_, t, fmt::format("{}[{}]", path(key), i)));
  }
  return out;
}

void ConfigTable::reject_unknown_keys(const std::vector<std::string_view>& allowed) const {
  for (const auto& [k, v] : as_table(table_)) {
    if (std::find(allowed.begin(), allowed.end(), k.str()) != allowed.end()) continue;
    const std::string key(k.str());
    const auto hint = closest_match(key, std::vector<std::string>(allowed.begin(), allowed.end()));
    const auto& b = k.source().begin.line > 0 ? k.source().begin : v.source().begin;
    throw DataError(doc_->label_, b.line, b.column, path(key),
                    hint.empty() ? std::string("unknown key") : fmt::format("unknown key (did you mean '{}'?)", hint));
  }
}

namespace {
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}
}  // namespace

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_d = SIZE_MAX;
  for (const auto& c : candidates) {
    const auto d = edit_distance(word, c);
    if (d < best_d) best_d = d, best = c;
  }
  const std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
  if (best_d <= limit) return best;
  // A shortened name: the shortest candidate that contains it.
  std::string contained;
  if (word.size() >= 4)
    for (const auto& c : candidates)
      if (c.find(word) != std::string::npos && (contained.empty() || c.size() < contained.size())) contained = c;
  return contained;
}

}  // namespace iskabm
