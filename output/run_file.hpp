#pragma once
// The result file of `iskabm run`: netCDF-4-compatible HDF5 that xarray, netCDF tools and h5py
// open without options. Replicates are appended along the unlimited `replicate` dimension; the
// file is written as <path>.tmp, flushed every 16 replicates, and renamed into place only when
// complete, so a reader never sees a partial result at <path>. Layout: docs/output.md.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/run_plan.hpp"
#include "model/recorder.hpp"
#include "model/world.hpp"

namespace iskabm {

struct RunMetadata {
  std::string command_line;  // recorded in the `history` attribute (keep it free of thread counts
                             // and paths, so that equal runs give equal bytes)
  std::string config_text;   // the resolved configuration (`configuration_toml`)
  std::uint64_t seed = 0;
  std::uint64_t first_replicate = 0;
  // A posterior-driven run (`run --posterior`): the calibrated parameters, whose values each
  // replicate drew, are stored per replicate in `parameter_values`; `posterior` describes the source.
  std::vector<std::string> varying_parameters;
  std::string posterior;
  // The run's identity as structured attributes (run_scenario, run_ensemble_first_replicate,
  // run_ensemble_replicates, run_no_posterior, run_posterior; shards add shard_index and
  // shard_count): what merge and the readers use. `history` stays for people.
  std::optional<RunCommand> command{};
};

// One replicate made ready for the writer: its per-replicate chunks already shuffled and
// compressed (done by the simulating thread), and its events.
struct PreparedReplicate {
  std::uint64_t replicate = 0;
  std::vector<std::vector<std::uint8_t>> chunks;  // in the writer's variable order
  std::vector<AttackEvent> events;
};

class RunFileWriter {
 public:
  RunFileWriter(const std::filesystem::path& path, const World& w, const RunMetadata& meta);
  ~RunFileWriter();  // an uncommitted file is closed and its .tmp removed
  RunFileWriter(const RunFileWriter&) = delete;
  RunFileWriter& operator=(const RunFileWriter&) = delete;

  // Stores the observed record's summary statistics beside the replicates' (`observed_statistics`,
  // NaN where the record is silent), for posterior predictive checks.
  void set_observed_statistics(const std::vector<double>& observed);
  // Compresses a replicate's chunks. Thread-safe: touches no HDF5 state; call it from any thread.
  // `statistics` replaces the computed summary statistics (replaying a stored replicate);
  // `parameter_values` are the replicate's values of the metadata's varying parameters.
  [[nodiscard]] PreparedReplicate prepare(std::uint64_t replicate, const Recorder& r,
                                          const std::vector<double>* statistics = nullptr,
                                          const std::vector<double>* parameter_values = nullptr) const;
  // Appends a prepared replicate and flushes the file. One thread at a time, in replicate order.
  void append(PreparedReplicate&& p);
  void append(std::uint64_t replicate, const Recorder& r) { append(prepare(replicate, r)); }
  // Adds a global attribute after the standard ones (a shard's place in its ensemble).
  void add_attribute(const char* name, std::uint64_t value);
  void add_attribute(const char* name, const std::string& value);
  // Closes the file and renames <path>.tmp to <path>.
  void commit();
  // Closes the file and keeps <path>.tmp, complete up to the last appended replicate, for --resume.
  void suspend();

  [[nodiscard]] std::uint64_t replicates_written() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The resolved parameter values as TOML text (stored in every result file).
[[nodiscard]] std::string parameters_as_toml(const Parameters& p);
// What every result file records of the program that wrote it: its `source` (version and git
// commit) and `library_versions` attributes.
[[nodiscard]] std::string program_source();
[[nodiscard]] std::string library_versions();

// Reads replicates back from a complete result file (an interrupted run's .tmp is refused: its
// checkpoint is the journal), for merge, export, reports and sweeps. Every per-replicate array
// is checked against the dimensions the file declares (IoError naming file and variable).
class RunFileReader {
 public:
  explicit RunFileReader(const std::filesystem::path& path);
  ~RunFileReader();
  RunFileReader(const RunFileReader&) = delete;
  RunFileReader& operator=(const RunFileReader&) = delete;

  [[nodiscard]] std::uint64_t replicates_complete() const;  // trusted counter, not the dataset extent
  [[nodiscard]] std::uint64_t first_replicate() const;
  [[nodiscard]] std::uint64_t seed() const;
  [[nodiscard]] std::string attribute(const char* name) const;
  [[nodiscard]] std::uint64_t unsigned_attribute(const char* name) const;
  // The k-th replicate stored (0-based position, not its number), into a Recorder sized for `w`.
  void read(std::size_t k, const World& w, Recorder& out) const;
  // The k-th replicate's stored summary statistics.
  [[nodiscard]] std::vector<double> statistics(std::size_t k) const;

  // The run's identity: from its structured attributes, or, in files written before they
  // existed, parsed from its `history`; nullopt when neither names a run.
  [[nodiscard]] std::optional<RunCommand> run_command() const;
  // The number of replicates the run names (a shard's: its shard's); throws IoError when the file
  // names none.
  [[nodiscard]] std::uint64_t planned_replicates() const;
  // Throws IoError unless every replicate the run's `history` names is complete (an interrupted
  // run's <path>.tmp holds fewer): exporters and reports refuse partial results.
  void require_complete() const;

  // Generic access by variable name (docs/output.md), for exporters and reports.
  [[nodiscard]] bool has_variable(const std::string& name) const;
  [[nodiscard]] bool has_attribute(const char* name) const;
  [[nodiscard]] std::vector<std::size_t> shape(const std::string& name) const;
  [[nodiscard]] std::vector<std::string> strings(const std::string& name) const;    // a string variable
  [[nodiscard]] std::vector<std::int64_t> integers(const std::string& name) const;  // a whole variable
  [[nodiscard]] std::vector<double> doubles(const std::string& name) const;
  // The k-th stored replicate's slice of a variable whose first dimension is `replicate`.
  [[nodiscard]] std::vector<std::int64_t> replicate_integers(const std::string& name, std::size_t k) const;
  [[nodiscard]] std::vector<double> replicate_doubles(const std::string& name, std::size_t k) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace iskabm
