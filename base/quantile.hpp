#pragma once
// Sample quantiles.
#include <vector>

namespace iskabm {

// The q-quantile of values by linear interpolation between order statistics (Hyndman & Fan
// type 7, R's default); NaN for no values.
[[nodiscard]] double quantile(std::vector<double> values, double q);

}  // namespace iskabm
