#include "output/run_merge.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>

#include "base/errors.hpp"
#include "base/run_plan.hpp"
#include "config/config_table.hpp"
#include "config/scenario_loader.hpp"
#include "model/model_config.hpp"
#include "model/world.hpp"
#include "output/run_file.hpp"
#include "statistics/summary_statistics.hpp"

namespace iskabm {

namespace {

// What one input holds and what must agree between the inputs.
struct Input {
  std::filesystem::path path;
  std::string file;  // as named in messages
  RunCommand command;
  ReplicateRange replicates;
  std::string configuration, parameters, source, libraries, posterior, posterior_fingerprint;
  std::vector<std::string> calibrated;
  std::vector<double> observed_statistics;
  std::uint64_t seed = 0;
};

std::string attribute_or_empty(const RunFileReader& r, const char* name) {
  return r.has_attribute(name) ? r.attribute(name) : std::string();
}

// Reads what merging needs of one input and checks the file against itself.
Input read_input(const std::filesystem::path& path) {
  Input in;
  in.path = path;
  in.file = path.string();
  RunFileReader r(path);  // IoError: unreadable, truncated, not a result file
  r.require_complete();   // IoError: an interrupted (or still running) run
  const auto history = attribute_or_empty(r, "history");
  const auto command = r.run_command();
  if (!command)
    throw DataError(in.file, 0, "history",
                    fmt::format("'{}' is not the command of an `iskabm run`: only run results can be merged", history));
  in.command = *command;
  in.replicates = command->written();
  const bool shard_attributes = r.has_attribute("shard_count");
  if (shard_attributes != command->shard.has_value() ||
      (shard_attributes &&
       (Shard{r.unsigned_attribute("shard_index"), r.unsigned_attribute("shard_count")} != *command->shard ||
        ReplicateRange{r.unsigned_attribute("ensemble_first_replicate"), r.unsigned_attribute("ensemble_replicates")} !=
            command->ensemble)))
    throw DataError(in.file, 0, "shard_index",
                    fmt::format("its shard attributes disagree with its history '{}'", history));
  if (command->text() != history)
    throw DataError(in.file, 0, "history",
                    fmt::format("its run attributes ({}) disagree with its history '{}'", command->text(), history));
  std::vector<std::int64_t> expected(in.replicates.count);
  for (std::size_t k = 0; k < expected.size(); ++k) expected[k] = static_cast<std::int64_t>(in.replicates.first + k);
  auto stored = r.integers("replicate");
  stored.resize(std::min<std::size_t>(stored.size(), r.replicates_complete()));
  if (r.first_replicate() != in.replicates.first || r.replicates_complete() != in.replicates.count ||
      stored != expected)
    throw DataError(
        in.file, 0, "replicate",
        fmt::format("does not hold the replicates {} its history '{}' names", to_string(in.replicates), history));
  in.seed = r.seed();
  if (in.seed != command->seed)
    throw DataError(in.file, 0, "seed", fmt::format("seed {} disagrees with its history '{}'", in.seed, history));
  in.configuration = r.attribute("configuration_toml");
  in.parameters = attribute_or_empty(r, "parameters_toml");
  in.source = attribute_or_empty(r, "source");
  in.libraries = attribute_or_empty(r, "library_versions");
  in.posterior = attribute_or_empty(r, "posterior");
  in.posterior_fingerprint = attribute_or_empty(r, "posterior_fingerprint");
  if (r.has_variable("calibrated_parameter")) in.calibrated = r.strings("calibrated_parameter");
  if (r.has_variable("observed_statistics")) in.observed_statistics = r.doubles("observed_statistics");
  return in;
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

// Throws DataError naming `b` (and `a`) unless they are parts of the same ensemble run.
void require_same_run(const Input& a, const Input& b) {
  const auto differs = [&](const char* field, const std::string& what) {
    throw DataError(b.file, 0, field, fmt::format("{} (merge only parts of one run)", what));
  };
  if (a.command.shard.has_value() != b.command.shard.has_value())
    differs("shard_count",
            fmt::format("{} a shard (run --shard) but {} {}: merge either the shards of one run or plain "
                        "runs of adjacent replicate ranges",
                        b.command.shard ? "is" : "is not", a.file, a.command.shard ? "is" : "is not"));
  if (b.command.scenario != a.command.scenario)
    differs("configuration_toml",
            fmt::format("ran scenario {}, but {} ran {}", b.command.scenario, a.file, a.command.scenario));
  if (b.configuration != a.configuration)
    differs("configuration_toml",
            fmt::format("its resolved scenario differs from {}'s (was {} changed between the runs?)", a.file,
                        a.command.scenario));
  if (b.seed != a.seed) differs("seed", fmt::format("seed {} differs from {}'s seed {}", b.seed, a.file, a.seed));
  if (b.command.no_posterior != a.command.no_posterior || b.command.posterior != a.command.posterior ||
      b.posterior != a.posterior || b.calibrated != a.calibrated)
    differs("posterior",
            fmt::format("its posterior ({}) differs from {}'s ({})", b.posterior.empty() ? "none" : b.posterior, a.file,
                        a.posterior.empty() ? "none" : a.posterior));
  if (b.posterior_fingerprint != a.posterior_fingerprint)
    differs("posterior_fingerprint",
            fmt::format("its posterior's particles ({}) differ from {}'s ({}), though the files are alike ({})",
                        b.posterior_fingerprint, a.file, a.posterior_fingerprint, a.posterior));
  if (b.command.shard && b.command.shard->count != a.command.shard->count)
    differs("shard_count", fmt::format("is shard {} but {} is shard {}: different shard counts",
                                       to_string(*b.command.shard), a.file, to_string(*a.command.shard)));
  if (b.command.shard && b.command.ensemble != a.command.ensemble)
    differs("ensemble_replicates", fmt::format("is a shard of replicates {}, but {} of replicates {}",
                                               to_string(b.command.ensemble), a.file, to_string(a.command.ensemble)));
  if (b.source != a.source || b.libraries != a.libraries)
    differs("source",
            fmt::format("was made by {} ({}), {} by {} ({})", b.source, b.libraries, a.file, a.source, a.libraries));
  if (b.parameters != a.parameters) differs("parameters_toml", fmt::format("its parameters differ from {}'s", a.file));
  if (!same_bits(b.observed_statistics, a.observed_statistics))
    differs("observed_statistics",
            fmt::format("its observed statistics differ from {}'s (run with other data?)", a.file));
}

// The scenario a result file stores, read back (the loader reads files: through a temporary one).
ModelConfig stored_scenario(const Input& in, const Geography& geo, const std::filesystem::path& default_parameters) {
  // A result file stores its scenario resolved: a path in it (a base scenario, a parameters file)
  // would be a file the merge reads on the word of a file it was given. Never followed.
  {
    const auto doc = ConfigDocument::parse_text(in.configuration, in.file + " (configuration_toml)");
    const auto root = doc->root();
    const bool names_parameters = root.has("run") && root.table("run").has("parameters");
    if (root.has("base") || names_parameters)
      throw DataError(in.file, 0, "configuration_toml",
                      fmt::format("names a file ({}): a result file's scenario is stored resolved, and iskabm never "
                                  "reads a path stored in a result file",
                                  root.has("base") ? "base" : "run.parameters"));
  }
  auto pattern = (std::filesystem::temp_directory_path() / "iskabm-merge-XXXXXX.toml").string();
  const int fd = ::mkstemps(pattern.data(), 5);
  if (fd < 0) throw IoError(fmt::format("{}: cannot create a temporary file: {}", pattern, std::strerror(errno)));
  ::close(fd);
  const std::filesystem::path temporary = pattern;
  struct Remove {
    std::filesystem::path p;
    ~Remove() {
      std::error_code ec;
      std::filesystem::remove(p, ec);
    }
  } remove{temporary};
  {
    std::ofstream out(temporary, std::ios::binary);
    out << in.configuration;
    if (!out.flush()) throw IoError(fmt::format("{}: cannot write", temporary.string()));
  }
  try {
    return load_model_config(temporary, geo, default_parameters);
  } catch (const DataError& e) {
    throw DataError(in.file, 0, "configuration_toml", fmt::format("cannot be read back: {}", e.what()));
  }
}

}  // namespace

struct RunMerge::Impl {
  const ObservedData* data = nullptr;
  std::vector<Input> inputs;  // in replicate order
  std::vector<std::filesystem::path> paths;
  ReplicateRange whole;
  std::string history;
  std::optional<World> world;
  std::vector<double> observed_statistics;
};

RunMerge::RunMerge(std::vector<std::filesystem::path> inputs, const ObservedData& data,
                   std::filesystem::path default_parameters)
    : impl_(std::make_unique<Impl>()) {
  auto& m = *impl_;
  m.data = &data;
  if (inputs.empty()) throw UsageError("merge: no input files");
  std::vector<Input> read;
  for (const auto& p : inputs) read.push_back(read_input(p));
  for (std::size_t i = 1; i < read.size(); ++i) require_same_run(read.front(), read[i]);
  const auto& first = read.front();
  if (first.source != program_source() || first.libraries != library_versions())
    throw DataError(first.file, 0, "source",
                    fmt::format("was made by {} ({}); this is {} ({}): merge with the program that ran it, so that the "
                                "merged file is the one that program's single run writes",
                                first.source, first.libraries, program_source(), library_versions()));

  std::vector<EnsemblePiece> pieces;
  for (const auto& in : read) pieces.push_back(EnsemblePiece{in.file, in.replicates, in.command.shard});
  const auto whole = first.command.shard ? std::optional<ReplicateRange>(first.command.ensemble) : std::nullopt;
  const auto order = tiling_order(pieces, whole);
  for (auto k : order) m.inputs.push_back(read[k]);
  for (const auto& in : m.inputs) m.paths.push_back(in.path);
  m.whole = ReplicateRange{m.inputs.front().replicates.first,
                           m.inputs.back().replicates.end() - m.inputs.front().replicates.first};
  auto command = first.command;
  command.shard.reset();
  command.ensemble = m.whole;
  m.history = command.text();

  // The World the single run wrote with, from the stored scenario and this program's data.
  m.world.emplace(make_world(data.geography, stored_scenario(first, data.geography, default_parameters)));
  if (parameters_as_toml(m.world->config.parameters) != first.parameters)
    throw DataError(first.file, 0, "parameters_toml", "does not match its configuration_toml read back");
  m.observed_statistics = observed_summary_statistics(*m.world, data);
  if (!first.observed_statistics.empty() && !same_bits(first.observed_statistics, m.observed_statistics))
    throw DataError(first.file, 0, "observed_statistics",
                    fmt::format("its observed statistics differ from those of this program's data ({}): the runs used "
                                "other data (--data, ISKABM_DATA_DIR)",
                                data.directory.string()));
}

RunMerge::~RunMerge() = default;

std::uint64_t RunMerge::first_replicate() const { return impl_->whole.first; }
std::uint64_t RunMerge::replicates() const { return impl_->whole.count; }
const std::string& RunMerge::history() const { return impl_->history; }
const std::vector<std::filesystem::path>& RunMerge::inputs_in_order() const { return impl_->paths; }

bool RunMerge::write(const std::filesystem::path& output, const std::atomic<bool>* stop,
                     const std::function<void(std::uint64_t)>& progress) const {
  const auto& m = *impl_;
  const auto& first = m.inputs.front();
  const auto& world = *m.world;
  auto command = first.command;
  command.shard.reset();
  command.ensemble = m.whole;
  RunMetadata meta{m.history,        first.configuration, first.seed, m.whole.first,
                   first.calibrated, first.posterior,     command};
  if (output.has_parent_path()) std::filesystem::create_directories(output.parent_path());
  RunFileWriter writer(output, world, meta);  // an uncommitted writer removes its .tmp
  writer.set_observed_statistics(m.observed_statistics);
  std::uint64_t done = 0;
  Recorder recorder;
  for (const auto& in : m.inputs) {
    const RunFileReader reader(in.path);
    for (std::uint64_t k = 0; k < in.replicates.count; ++k) {
      if (stop && stop->load()) return false;
      reader.read(k, world, recorder);
      const auto statistics = reader.statistics(k);
      std::vector<double> values;
      if (!first.calibrated.empty()) values = reader.replicate_doubles("parameter_values", k);
      writer.append(
          writer.prepare(in.replicates.first + k, recorder, &statistics, first.calibrated.empty() ? nullptr : &values));
      if (progress) progress(++done);
    }
  }
  writer.commit();
  return true;
}

}  // namespace iskabm
