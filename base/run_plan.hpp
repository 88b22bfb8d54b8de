#pragma once
// Ensembles split into shards and joined again (docs/cluster.md): `iskabm run --shard K/N` runs
// one shard of an ensemble's replicates, `iskabm merge` joins the shards' files into the file the
// whole run would have written. Here: the shards' replicate ranges, the order in which pieces of
// an ensemble tile it, and the canonical command a run records as its `history`.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace iskabm {

// The replicates [first, first + count).
struct ReplicateRange {
  std::uint64_t first = 0;
  std::uint64_t count = 0;
  [[nodiscard]] std::uint64_t end() const noexcept { return first + count; }
  friend bool operator==(const ReplicateRange&, const ReplicateRange&) = default;
};

// Shard `index` of `count`, 0-based (index = 0..count-1), like $SLURM_ARRAY_TASK_ID of
// `sbatch --array=0-(count-1)`.
struct Shard {
  std::uint64_t index = 0;
  std::uint64_t count = 1;
  friend bool operator==(const Shard&, const Shard&) = default;
};

// "K/N" -> Shard{K, N}. Throws UsageError unless both are plain decimal integers and K < N.
[[nodiscard]] Shard parse_shard(std::string_view text);

// The replicates of shard K/N of an ensemble of R replicates starting at F:
//   [F + floor(K·R/N), F + floor((K+1)·R/N))
// Consecutive shards tile the ensemble in order and differ in size by at most one. Throws
// UsageError if K >= N, N == 0 or N > R (a shard would be empty).
[[nodiscard]] ReplicateRange shard_range(const ReplicateRange& ensemble, const Shard& shard);

[[nodiscard]] std::string to_string(const Shard& s);           // "K/N"
[[nodiscard]] std::string to_string(const ReplicateRange& r);  // "a-b" (inclusive), "none" when empty

// The canonical command of a run, stored as its `history` attribute: no thread count and no
// paths (scenario and posterior by file name only), so that equal runs give equal bytes:
//   iskabm run SCENARIO --seed S --first-replicate F --replicates R [--shard K/N]
//              [--no-posterior] [--posterior POSTERIOR]
// A shard's command names the whole ensemble's range and its shard of it.
struct RunCommand {
  std::string scenario;  // file name
  std::uint64_t seed = 0;
  ReplicateRange ensemble;  // --first-replicate, --replicates
  std::optional<Shard> shard;
  bool no_posterior = false;  // recorded only when the scenario names a posterior
  std::string posterior;      // file name; empty: none

  [[nodiscard]] std::string text() const;
  // The replicates the run writes: its shard's, or the whole ensemble's.
  [[nodiscard]] ReplicateRange written() const;
};

// Reads a canonical command back (text() of the result is `history` again); nullopt when
// `history` is not one.
[[nodiscard]] std::optional<RunCommand> parse_run_command(std::string_view history);

// A file holding part of an ensemble, for merging.
struct EnsemblePiece {
  std::string file;            // named in error messages
  ReplicateRange replicates;   // what it holds
  std::optional<Shard> shard;  // set for every piece or for none
};

// The order (indices into `pieces`, by first replicate) in which the pieces tile one contiguous
// range of replicates. Throws DataError naming the files when two pieces overlap (also the same
// shard twice), when replicates between two pieces are missing, and, given `whole`, when the
// pieces do not cover it from end to end (for shards: naming each missing shard).
[[nodiscard]] std::vector<std::size_t> tiling_order(const std::vector<EnsemblePiece>& pieces,
                                                    const std::optional<ReplicateRange>& whole);

}  // namespace iskabm
