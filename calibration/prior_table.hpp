#pragma once
// Priors as the result files store them: per parameter, the variables `prior` (its kind),
// `prior_lower`, `prior_upper`, `prior_mean` and `prior_sd`. Shared by the posterior and
// history-match files.
#include <hdf5.h>

#include <vector>

#include "calibration/prior.hpp"
#include "output/netcdf_writer.hpp"

namespace iskabm {

void write_prior_table(h5::NetcdfWriter& w, hid_t loc, hid_t parameter_dimension, const std::vector<Prior>& priors);
// Throws std::runtime_error for an unknown kind or mismatched lengths (the caller names the file).
[[nodiscard]] std::vector<Prior> read_prior_table(hid_t file);

}  // namespace iskabm
