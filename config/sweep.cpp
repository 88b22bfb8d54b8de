#include "config/sweep.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "base/csv_writer.hpp"
#include "base/text_file.hpp"
#include "config/config_table.hpp"

namespace iskabm {

namespace {

constexpr std::size_t max_variants = 10000;
constexpr std::size_t max_name_length = 200;  // a variant's name is a file name (+ ".h5.journal")

// The columns of the summary that an axis name must not shadow.
constexpr std::string_view summary_columns[] = {"variant",           "metric",         "scope",         "period",
                                                "replicates",        "median",         "q05",           "q95",
                                                "difference_median", "difference_q05", "difference_q95",
                                                "median_mcse",       "difference_mcse"};

struct Level {
  std::string label;
  std::string note;
  std::string key;                        // "axis[0].level[1]" or "variant[2]"
  const toml::table* scenario = nullptr;  // into the parsed document; none: no change
};

struct Axis {
  std::string name;  // empty in list mode (one pseudo-axis holding the variants)
  std::vector<Level> levels;
};

std::string join_key(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : fmt::format("{}.{}", path, key);
}
std::string index_key(const std::string& path, std::size_t i) { return fmt::format("{}[{}]", path, i); }

bool only_tables(const toml::array& a) {
  return std::all_of(a.begin(), a.end(), [](const toml::node& n) { return n.is_table(); });
}

// The TOML text of a generated scenario. toml++ writes the strings (quoted and escaped as TOML
// needs), dates, times, integers and booleans; floats are written here in their shortest
// round-trip form (toml++ 3.3 with GCC writes 17 significant digits: 0.1 as 0.10000000000000001);
// tables become [sections], arrays of tables [[sections]], anything inside an array inline.
std::string key_text(std::string_view key) {
  const bool bare = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
  if (bare) return std::string(key);
  std::string s = "\"";  // a basic string: every key fits
  for (const char c : key) {
    if (c == '"' || c == '\\') s += '\\';
    if (c == '\n') {
      s += "\\n";
      continue;
    }
    if (c == '\t') {
      s += "\\t";
      continue;
    }
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      s += fmt::format("\\u{:04X}", static_cast<unsigned>(static_cast<unsigned char>(c)));
      continue;
    }
    s += c;
  }
  return s + "\"";
}

std::string float_text(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  auto s = fmt::format("{}", x);  // shortest round-trip
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

void write_inline(std::ostream& out, const toml::node& n) {
  if (const auto* t = n.as_table()) {
    out << "{";
    bool first = true;
    for (auto&& [k, v] : *t) {
      out << (first ? " " : ", ") << key_text(k.str()) << " = ";
      write_inline(out, v);
      first = false;
    }
    out << (t->empty() ? "}" : " }");
  } else if (const auto* a = n.as_array()) {
    out << "[";
    for (std::size_t i = 0; i < a->size(); ++i) {
      if (i) out << ", ";
      write_inline(out, (*a)[i]);
    }
    out << "]";
  } else if (const auto* f = n.as_floating_point()) {
    out << float_text(f->get());
  } else {
    n.visit([&](auto&& x) { out << x; });
  }
}

bool section_array(const toml::node& n) {
  const auto* a = n.as_array();
  return a && !a->empty() && only_tables(*a);
}

void write_table(std::ostream& out, const toml::table& t, const std::string& path) {
  const auto sub = [&](const toml::key& k) {
    return path.empty() ? key_text(k.str()) : fmt::format("{}.{}", path, key_text(k.str()));
  };
  for (auto&& [k, v] : t)
    if (!v.is_table() && !section_array(v)) {
      out << key_text(k.str()) << " = ";
      write_inline(out, v);
      out << "\n";
    }
  for (auto&& [k, v] : t)
    if (v.is_table()) {
      out << "\n[" << sub(k) << "]\n";
      write_table(out, *v.as_table(), sub(k));
    }
  for (auto&& [k, v] : t)
    if (section_array(v))
      for (const auto& e : *v.as_array()) {
        out << "\n[[" << sub(k) << "]]\n";
        write_table(out, *e.as_table(), sub(k));
      }
}

// A node's value in one line, for messages.
std::string text_of(const toml::node& n) {
  std::ostringstream out;
  write_inline(out, n);
  auto s = out.str();
  std::replace(s.begin(), s.end(), '\n', ' ');
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return s;
}

bool deep_equal(const toml::node& a, const toml::node& b) {
  return toml::node_view<const toml::node>(&a) == toml::node_view<const toml::node>(&b);
}

// Where a key of a table is written (the key itself when toml++ knows it, else its value).
toml::source_position position_of(const toml::key& k, const toml::node& v) {
  return k.source().begin.line > 0 ? k.source().begin : v.source().begin;
}

// The deep merge of the levels' scenario tables into one, recording who set each key and where.
class Merger {
 public:
  Merger(std::string file, std::map<std::string, SweepOrigin>& origins) : file_(std::move(file)), origins_(origins) {}

  void merge(toml::table& into, const toml::table& from, const std::string& path, const std::string& sweep_path,
             const std::string& who) {
    for (auto&& [k, v] : from) {
      const std::string key(k.str());
      const auto p = join_key(path, key), sp = join_key(sweep_path, key);
      const auto at = position_of(k, v);
      auto* existing = into.get(key);
      if (!existing) {
        into.insert(key, v);
        record(v, p, sp, at, who);
        continue;
      }
      if (existing->is_table() && v.is_table()) {
        merge(*existing->as_table(), *v.as_table(), p, sp, who);
        continue;
      }
      auto* into_array = existing->as_array();
      const auto* from_array = v.as_array();
      if (into_array && from_array && only_tables(*into_array) && only_tables(*from_array)) {
        // Arrays of tables ([[intervention]], [[tie_change]], ...): the entries of both, in axis order.
        for (std::size_t j = 0; j < from_array->size(); ++j) {
          const auto i = into_array->size();
          into_array->push_back((*from_array)[j]);
          record((*from_array)[j], index_key(p, i), index_key(sp, j), (*from_array)[j].source().begin, who);
        }
        continue;
      }
      if (into_array && from_array && p == "pressure_remove") {  // labels of base episodes: all of them, once
        for (const auto& label : *from_array)
          if (std::none_of(into_array->begin(), into_array->end(),
                           [&](const toml::node& n) { return deep_equal(n, label); }))
            into_array->push_back(label);
        continue;
      }
      if (deep_equal(*existing, v)) continue;
      throw DataError(file_, at.line, at.column, sp,
                      fmt::format("'{}' is set by {} to {} and by {} to {}: two axes may only set a key to the same "
                                  "value (tables merge, arrays of tables add up)",
                                  p, owner_[p], text_of(*existing), who, text_of(v)));
    }
  }

 private:
  void record(const toml::node& n, const std::string& path, const std::string& sweep_path, toml::source_position at,
              const std::string& who) {
    origins_[path] = SweepOrigin{.key = sweep_path, .line = at.line, .column = at.column};
    owner_[path] = who;
    if (const auto* t = n.as_table()) {
      for (auto&& [k, v] : *t)
        record(v, join_key(path, k.str()), join_key(sweep_path, k.str()), position_of(k, v), who);
    } else if (const auto* a = n.as_array()) {
      for (std::size_t i = 0; i < a->size(); ++i)
        record((*a)[i], index_key(path, i), index_key(sweep_path, i), (*a)[i].source().begin, who);
    }
  }

  std::string file_;
  std::map<std::string, SweepOrigin>& origins_;
  std::map<std::string, std::string> owner_;  // key path -> "axis 'air' (level 'half')"
};

// `target` as seen from `dir`: relative (symbolic links resolved, as the loader will follow them)
// when the two share a top directory (a project and its results move together), else absolute.
std::string path_from(const std::filesystem::path& target, const std::filesystem::path& dir) {
  std::error_code ec;
  const auto t = std::filesystem::weakly_canonical(std::filesystem::absolute(target, ec), ec);
  const auto absolute = ec ? std::filesystem::absolute(target).lexically_normal() : t;
  const auto d = std::filesystem::weakly_canonical(std::filesystem::absolute(dir, ec), ec);
  if (ec) return absolute.generic_string();
  const auto top = [](const std::filesystem::path& p) {
    auto it = p.begin();
    if (it != p.end() && p.has_root_directory()) ++it;
    return it == p.end() ? std::filesystem::path() : *it;
  };
  if (top(absolute).empty() || top(absolute) != top(d)) return absolute.generic_string();
  const auto rel = absolute.lexically_relative(d);
  return rel.empty() ? absolute.generic_string() : rel.generic_string();
}

}  // namespace

bool valid_sweep_label(std::string_view label) noexcept {
  if (label.empty() || label.size() > 64 || !std::isalnum(static_cast<unsigned char>(label[0]))) return false;
  return std::all_of(label.begin(), label.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
  });
}

bool valid_sweep_axis_name(std::string_view name) noexcept {
  if (name.empty() || name.size() > 32 || !std::isalpha(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

struct Sweep::Impl {
  std::filesystem::path file;
  std::string label;  // the file as errors name it
  toml::table doc;
  std::string title;
  std::filesystem::path base;
  std::optional<std::uint64_t> replicates;
  bool reference = true;
  bool grid = true;
  std::vector<Axis> axes;  // list mode: one nameless axis whose levels are the variants
  std::vector<std::string> axis_names;
  SweepOrigin base_origin, title_origin;

  [[noreturn]] void fail(const toml::source_position& at, const std::string& key, const std::string& message) const {
    throw DataError(label, at.line, at.column, key, message);
  }
  [[noreturn]] void fail(const toml::node& n, const std::string& key, const std::string& message) const {
    fail(n.source().begin, key, message);
  }

  void reject_unknown_keys(const toml::table& t, const std::string& path,
                           const std::vector<std::string>& allowed) const {
    for (auto&& [k, v] : t) {
      const std::string key(k.str());
      if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
      const auto hint = closest_match(key, allowed);
      fail(position_of(k, v), join_key(path, key),
           hint.empty() ? std::string("unknown key") : fmt::format("unknown key (did you mean '{}'?)", hint));
    }
  }

  std::string string(const toml::table& t, const std::string& path, std::string_view key) const {
    const auto* n = t.get(key);
    if (!n) fail(t.source().begin, path, fmt::format("missing required key '{}'", key));
    const auto s = n->value_exact<std::string>();
    if (!s) fail(*n, join_key(path, key), "expected a string");
    return *s;
  }

  // [[key]]: an array of tables (absent: none).
  std::vector<const toml::table*> tables(const toml::table& t, const std::string& path, std::string_view key) const {
    std::vector<const toml::table*> out;
    const auto* n = t.get(key);
    if (!n) return out;
    const auto* a = n->as_array();
    if (!a) fail(*n, join_key(path, key), fmt::format("expected an array of tables ([[{}]])", key));
    for (const auto& e : *a) {
      if (!e.is_table()) fail(e, join_key(path, key), "expected a table");
      out.push_back(e.as_table());
    }
    return out;
  }

  Level read_level(const toml::table& t, const std::string& key, bool list) const {
    reject_unknown_keys(t, key, {"label", "note", "scenario"});
    Level l;
    l.key = key;
    l.label = string(t, key, "label");
    if (!valid_sweep_label(l.label))
      fail(*t.get("label"), join_key(key, "label"),
           fmt::format("'{}' is not a valid label: 1 to 64 of the characters A-Z a-z 0-9 _ . - (starting with a letter "
                       "or digit), as it names files",
                       l.label));
    if (list && l.label == "reference")
      fail(*t.get("label"), join_key(key, "label"), "'reference' is the name of the base scenario's run");
    if (t.contains("note")) l.note = string(t, key, "note");
    if (const auto* n = t.get("scenario")) {
      const auto skey = join_key(key, "scenario");
      l.scenario = n->as_table();
      if (!l.scenario) fail(*n, skey, "expected a table of scenario keys ([...scenario] or scenario = { ... })");
      for (const char* own : {"base", "title", "description"})
        if (const auto* x = l.scenario->get(own))
          fail(*x, join_key(skey, own),
               fmt::format("'{}' of a variant is set by the sweep (describe a level with note = \"...\")", own));
      if (const auto* run = l.scenario->get("run"); run && run->is_table())
        for (const char* own : {"seed", "replicates"})
          if (const auto* x = run->as_table()->get(own))
            fail(*x, join_key(skey, fmt::format("run.{}", own)),
                 own == std::string_view("seed")
                     ? "every variant runs with the base scenario's seed, so that its replicates are paired with the "
                       "reference's (common random numbers)"
                     : "every variant runs the same replicates: set replicates in the sweep file (or sweep "
                       "--replicates)");
    }
    return l;
  }

  void read(const std::filesystem::path& path, std::string_view text) {
    file = path;
    label = path.string();
    try {
      doc = toml::parse(text, label);
    } catch (const toml::parse_error& e) {
      const auto& b = e.source().begin;
      throw DataError(label, b.line, b.column, "", fmt::format("TOML syntax error: {}", e.description()));
    }
    reject_unknown_keys(doc, "",
                        {"title", "description", "base", "replicates", "reference", "mode", "axis", "variant"});
    title = doc.contains("title") ? string(doc, "", "title") : path.stem().string();
    if (const auto* n = doc.get("title"))
      title_origin = {.key = "title", .line = n->source().begin.line, .column = n->source().begin.column};
    if (doc.contains("description")) (void)string(doc, "", "description");
    const auto base_text = string(doc, "", "base");
    const auto& base_node = *doc.get("base");
    base_origin = {.key = "base", .line = base_node.source().begin.line, .column = base_node.source().begin.column};
    base = (path.parent_path() / base_text).lexically_normal();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(base, ec))
      fail(base_node, "base",
           fmt::format("no such scenario: {} (the base is relative to the sweep file)", base.string()));
    if (const auto* n = doc.get("replicates")) {
      const auto r = n->value_exact<std::int64_t>();
      if (!r) fail(*n, "replicates", "expected an integer");
      if (*r < 1 || *r > 10000000) fail(*n, "replicates", fmt::format("{} is out of range [1, 10000000]", *r));
      replicates = static_cast<std::uint64_t>(*r);
    }
    if (const auto* n = doc.get("reference")) {
      const auto b = n->value_exact<bool>();
      if (!b) fail(*n, "reference", "expected true or false");
      reference = *b;
    }
    if (doc.contains("mode")) {
      const auto mode = string(doc, "", "mode");
      if (mode != "grid" && mode != "list")
        fail(*doc.get("mode"), "mode", fmt::format("unknown value '{}'; expected one of: grid, list", mode));
      grid = mode == "grid";
    }
    if (grid) {
      if (const auto* n = doc.get("variant")) fail(*n, "variant", "[[variant]] entries need mode = \"list\"");
      const auto axis_tables = tables(doc, "", "axis");
      if (axis_tables.empty()) fail(doc.source().begin, "axis", "a grid sweep needs at least one [[axis]]");
      std::size_t combinations = 1;
      for (std::size_t a = 0; a < axis_tables.size(); ++a) {
        const auto& t = *axis_tables[a];
        const auto key = index_key("axis", a);
        reject_unknown_keys(t, key, {"name", "note", "level"});
        Axis axis;
        axis.name = string(t, key, "name");
        if (!valid_sweep_axis_name(axis.name))
          fail(*t.get("name"), join_key(key, "name"),
               fmt::format("'{}' is not a valid axis name: 1 to 32 of the characters A-Z a-z 0-9 _ starting with a "
                           "letter (it names a column of the summary and part of every variant's name)",
                           axis.name));
        if (std::find(std::begin(summary_columns), std::end(summary_columns), axis.name) != std::end(summary_columns))
          fail(*t.get("name"), join_key(key, "name"), fmt::format("'{}' is a column of the summary", axis.name));
        if (std::find(axis_names.begin(), axis_names.end(), axis.name) != axis_names.end())
          fail(*t.get("name"), join_key(key, "name"), fmt::format("duplicate axis name '{}'", axis.name));
        if (t.contains("note")) (void)string(t, key, "note");
        const auto level_tables = tables(t, key, "level");
        if (level_tables.empty())
          fail(t.source().begin, join_key(key, "level"), "an axis needs at least one [[axis.level]]");
        for (std::size_t l = 0; l < level_tables.size(); ++l) {
          auto level = read_level(*level_tables[l], index_key(join_key(key, "level"), l), false);
          for (const auto& other : axis.levels)
            if (other.label == level.label)
              fail(*level_tables[l]->get("label"), join_key(level.key, "label"),
                   fmt::format("duplicate label '{}' in axis '{}'", level.label, axis.name));
          axis.levels.push_back(std::move(level));
        }
        combinations *= axis.levels.size();
        if (combinations > max_variants)
          fail(t.source().begin, key, fmt::format("the grid has more than {} variants", max_variants));
        axis_names.push_back(axis.name);
        axes.push_back(std::move(axis));
      }
    } else {
      if (const auto* n = doc.get("axis")) fail(*n, "axis", "[[axis]] needs mode = \"grid\" (the default)");
      const auto variant_tables = tables(doc, "", "variant");
      if (variant_tables.empty()) fail(doc.source().begin, "variant", "a list sweep needs at least one [[variant]]");
      if (variant_tables.size() > max_variants)
        fail(doc.source().begin, "variant", fmt::format("more than {} variants", max_variants));
      Axis list;
      for (std::size_t v = 0; v < variant_tables.size(); ++v) {
        auto level = read_level(*variant_tables[v], index_key("variant", v), true);
        for (const auto& other : list.levels)
          if (other.label == level.label)
            fail(*variant_tables[v]->get("label"), join_key(level.key, "label"),
                 fmt::format("duplicate variant label '{}'", level.label));
        list.levels.push_back(std::move(level));
      }
      axes.push_back(std::move(list));
    }
    // Variant names must tell the variants apart (labels may contain '-' and '_').
    std::set<std::string> names;
    std::vector<std::size_t> at(axes.size(), 0);
    for (;;) {
      const auto name = variant_name(at);
      if (name.size() > max_name_length)
        fail(doc.source().begin, "axis", fmt::format("the variant name '{}...' is too long", name.substr(0, 40)));
      if (name == "reference")
        fail(doc.source().begin, "axis", "a variant would be named 'reference', the name of the base scenario's run");
      if (!names.insert(name).second)
        fail(doc.source().begin, "axis", fmt::format("two variants would be named '{}': rename a label", name));
      if (!next(at)) break;
    }
  }

  std::string variant_name(const std::vector<std::size_t>& at) const {
    if (!grid) return axes[0].levels[at[0]].label;
    std::string name;
    for (std::size_t a = 0; a < axes.size(); ++a)
      name += fmt::format("{}{}-{}", a ? "_" : "", axes[a].name, axes[a].levels[at[a]].label);
    return name;
  }

  // The next combination, the last axis fastest; false after the last.
  bool next(std::vector<std::size_t>& at) const {
    for (std::size_t a = axes.size(); a-- > 0;) {
      if (++at[a] < axes[a].levels.size()) return true;
      at[a] = 0;
    }
    return false;
  }

  SweepVariant variant(const std::vector<std::size_t>& at, std::size_t index,
                       const std::filesystem::path& scenario_dir) const {
    SweepVariant v;
    v.index = index;
    v.name = variant_name(at);
    toml::table merged;
    Merger merger(label, v.origins);
    std::vector<std::string> parts, notes;
    for (std::size_t a = 0; a < axes.size(); ++a) {
      const auto& level = axes[a].levels[at[a]];
      v.labels.push_back(level.label);
      const auto who = grid ? fmt::format("axis '{}' (level '{}')", axes[a].name, level.label)
                            : fmt::format("variant '{}'", level.label);
      if (level.scenario) merger.merge(merged, *level.scenario, "", join_key(level.key, "scenario"), who);
      if (grid) parts.push_back(fmt::format("{}={}", axes[a].name, level.label));
      const auto what = grid ? fmt::format("{} = {}", axes[a].name, level.label) : level.label;
      notes.push_back(level.note.empty() ? what : fmt::format("{} ({})", what, level.note));
    }
    // A level's posterior is written relative to the sweep file, like its base.
    if (auto* run = merged.get_as<toml::table>("run"))
      if (auto* posterior = run->get_as<std::string>("posterior"); posterior && !posterior->get().empty()) {
        const std::filesystem::path p = posterior->get();
        if (p.is_relative()) *posterior = path_from(file.parent_path() / p, scenario_dir);
      }
    toml::table head;  // written first
    head.insert("base", path_from(base, scenario_dir));
    head.insert("title",
                grid ? fmt::format("{}: {}", title, fmt::join(parts, ", ")) : fmt::format("{}: {}", title, v.name));
    head.insert("description", fmt::format("Variant {} of the sweep {}: {}.", v.name, file.filename().string(),
                                           fmt::join(notes, "; ")));
    v.origins["base"] = base_origin;
    if (title_origin.line > 0) v.origins["title"] = title_origin;
    std::ostringstream out;
    out << fmt::format(
        "# Generated by `iskabm sweep` from {}: variant {}.\n"
        "# Rewritten by every sweep command: edit the sweep file, not this one.\n",
        file.filename().string(), v.name);
    for (const char* key : {"base", "title", "description"}) {
      out << key << " = ";
      write_inline(out, *head.get(key));
      out << "\n";
    }
    write_table(out, merged, "");
    v.scenario_toml = out.str();
    return v;
  }
};

Sweep::Sweep() : impl_(std::make_unique<Impl>()) {}
Sweep::Sweep(Sweep&&) noexcept = default;
Sweep& Sweep::operator=(Sweep&&) noexcept = default;
Sweep::~Sweep() = default;

Sweep Sweep::parse(std::string_view text, const std::filesystem::path& file) {
  Sweep s;
  s.impl_->read(file, text);
  return s;
}

Sweep Sweep::load(const std::filesystem::path& file) { return parse(read_text_file(file), file); }

const std::filesystem::path& Sweep::file() const noexcept { return impl_->file; }
const std::string& Sweep::title() const noexcept { return impl_->title; }
const std::filesystem::path& Sweep::base() const noexcept { return impl_->base; }
std::optional<std::uint64_t> Sweep::replicates() const noexcept { return impl_->replicates; }
bool Sweep::has_reference() const noexcept { return impl_->reference; }
bool Sweep::is_grid() const noexcept { return impl_->grid; }
const std::vector<std::string>& Sweep::axes() const noexcept { return impl_->axis_names; }

std::size_t Sweep::size() const noexcept {
  std::size_t n = 1;
  for (const auto& a : impl_->axes) n *= a.levels.size();
  return n + (impl_->reference ? 1 : 0);
}

std::vector<SweepVariant> Sweep::variants(const std::filesystem::path& scenario_dir) const {
  std::vector<SweepVariant> out;
  if (impl_->reference) {
    SweepVariant r;
    r.name = "reference";
    r.reference = true;
    out.push_back(std::move(r));
  }
  std::vector<std::size_t> at(impl_->axes.size(), 0);
  do out.push_back(impl_->variant(at, out.size(), scenario_dir));
  while (impl_->next(at));
  return out;
}

DataError Sweep::locate(const DataError& e, const SweepVariant& v, const std::filesystem::path& generated) const {
  if (v.reference || e.file() != generated.string()) return e;
  // The key, or its closest enclosing table or array entry that a level (or the sweep) sets.
  std::string key = e.field();
  while (!key.empty()) {
    if (const auto it = v.origins.find(key); it != v.origins.end() && it->second.line > 0)
      return DataError(impl_->label, it->second.line, it->second.column,
                       key == e.field() ? it->second.key : fmt::format("{} ({})", it->second.key, e.field()),
                       e.message());
    const auto cut = key.find_last_of(".[");
    key = cut == std::string::npos ? std::string() : key.substr(0, cut);
  }
  return e;
}

std::string sweep_summary_csv(const std::vector<std::string>& axes, const std::vector<SweepSummaryRow>& rows) {
  std::vector<std::string> header{"variant"};
  header.insert(header.end(), axes.begin(), axes.end());
  for (const char* c : {"metric", "scope", "period", "replicates", "median", "q05", "q95", "difference_median",
                        "difference_q05", "difference_q95", "median_mcse", "difference_mcse"})
    header.emplace_back(c);
  CsvWriter csv(std::move(header));
  const auto optional = [](const std::optional<double>& x) { return x ? fmt::format("{}", *x) : std::string(); };
  for (const auto& r : rows) {
    std::vector<std::string> f{r.variant};
    for (std::size_t a = 0; a < axes.size(); ++a) f.push_back(a < r.labels.size() ? r.labels[a] : std::string());
    for (auto x : {r.metric, r.scope, r.period}) f.emplace_back(x);
    f.push_back(fmt::format("{}", r.replicates));
    for (double x : {r.median, r.q05, r.q95}) f.push_back(fmt::format("{}", x));
    for (const auto& x : {r.difference_median, r.difference_q05, r.difference_q95}) f.push_back(optional(x));
    f.push_back(fmt::format("{}", r.median_error));
    f.push_back(optional(r.difference_error));
    csv.row(f);
  }
  return csv.text();
}

}  // namespace iskabm
