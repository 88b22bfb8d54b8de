#pragma once
// The output policy of every command that writes (docs/output.md, "A file that was good stays
// good"): checked before any work starts, so a refused command leaves every file as it was.
//   - An output is never one of the command's inputs, nor (for a directory replaced whole) a
//     directory holding one, nor inside an input directory (the data directory is read-only to
//     iskabm). The output's companions (<output>.tmp, .journal, .lock) are held to the same rule.
//   - An existing file target must be a regular file (never a directory, symbolic link, device,
//     FIFO or socket: those are refused, not replaced); an existing directory target must be a
//     directory, not a symbolic link.
//   - The directory the target goes in (or its nearest existing ancestor, created on writing)
//     must be a writable directory.
// Every refusal is a UsageError (exit 64) naming the paths.
#include <filesystem>
#include <string>
#include <vector>

namespace iskabm {

enum class TargetKind {
  file,                // a file, written whole through a temporary and a rename
  replaced_directory,  // a directory replaced whole (export, report)
  directory,           // a directory written into (a sweep's)
};

struct OutputTarget {
  std::filesystem::path path;
  TargetKind kind = TargetKind::file;
  std::string option;  // how the command line names it ("-o", "--csv"), for messages
};

// Throws UsageError on the first target that breaks the policy. Empty paths are skipped, inputs
// that do not exist are ignored.
void check_outputs(const std::vector<OutputTarget>& targets, const std::vector<std::filesystem::path>& inputs);

}  // namespace iskabm
