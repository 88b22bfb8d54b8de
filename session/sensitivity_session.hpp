#pragma once
// A sensitivity session (issue 18): the spec loaded as every calibration path loads it, the
// factors (its free parameters, or every parameter with a range) and the what-if scenarios, the
// result file as checkpoint (written while the study runs; `resume` continues it when it holds the
// same study), and, under an MPI launcher, rank 0 as the only writer while the other ranks
// simulate (calibration/mpi_workers.hpp): the same file for any number of ranks or threads. Used
// by `iskabm sensitivity`.
#include <filesystem>
#include <string>
#include <vector>

#include "calibration/sensitivity_study.hpp"

namespace iskabm {

struct SensitivityRequest {
  std::filesystem::path spec;
  std::filesystem::path output;  // empty: results/<spec name>_<method>.h5
  std::vector<std::filesystem::path> what_ifs;
  bool all_parameters = false;
  bool resume = false;
  bool seed_given = false;  // options.seed is the user's; otherwise the spec's [smc] seed
  SensitivityOptions options;
};

struct SensitivityOutcome {
  int exit_code = 0;
  bool worker = false;  // an MPI worker rank: it wrote nothing and has nothing to print
  bool interrupted = false;
  std::filesystem::path output;
  SensitivityStudy study;
};

[[nodiscard]] SensitivityOutcome run_sensitivity_session(const std::filesystem::path& data_dir,
                                                         const SensitivityRequest& request);

}  // namespace iskabm
