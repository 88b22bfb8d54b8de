#include "calibration/prior_table.hpp"

#include <fmt/format.h>

#include <stdexcept>
#include <string>

#include "output/hdf5.hpp"

namespace iskabm {

void write_prior_table(h5::NetcdfWriter& w, hid_t loc, hid_t parameter, const std::vector<Prior>& priors) {
  std::vector<std::string> kinds;
  std::vector<double> pa, pb, pm, ps;
  for (const auto& p : priors)
    kinds.emplace_back(to_string(p.kind)), pa.push_back(p.a), pb.push_back(p.b), pm.push_back(p.mean),
        ps.push_back(p.sd);
  w.string_variable(loc, "prior", kinds, parameter, "prior distribution (uniform, log_uniform, normal, truncated_normal)");
  w.variable(loc, "prior_lower", pa, {parameter}, "", "lower bound of a (log-)uniform or truncated prior");
  w.variable(loc, "prior_upper", pb, {parameter}, "", "upper bound of a (log-)uniform or truncated prior");
  w.variable(loc, "prior_mean", pm, {parameter}, "", "mean of a (truncated) normal prior");
  w.variable(loc, "prior_sd", ps, {parameter}, "", "standard deviation of a (truncated) normal prior");
}

std::vector<Prior> read_prior_table(hid_t file) {
  const auto kinds = h5::read_strings(file, "prior");
  const auto pa = h5::read_all<double>(file, "prior_lower"), pb = h5::read_all<double>(file, "prior_upper");
  const auto pm = h5::read_all<double>(file, "prior_mean"), ps = h5::read_all<double>(file, "prior_sd");
  if (pa.size() != kinds.size() || pb.size() != kinds.size() || pm.size() != kinds.size() || ps.size() != kinds.size())
    throw std::runtime_error("the prior table's columns differ in length");
  std::vector<Prior> priors;
  for (std::size_t p = 0; p < kinds.size(); ++p) {
    Prior prior;
    if (kinds[p] == "uniform")
      prior.kind = Prior::Kind::uniform;
    else if (kinds[p] == "log_uniform")
      prior.kind = Prior::Kind::log_uniform;
    else if (kinds[p] == "normal")
      prior.kind = Prior::Kind::normal;
    else if (kinds[p] == "truncated_normal")
      prior.kind = Prior::Kind::truncated_normal;
    else
      throw std::runtime_error(fmt::format("unknown prior '{}'", kinds[p]));
    prior.a = pa[p], prior.b = pb[p], prior.mean = pm[p], prior.sd = ps[p];
    priors.push_back(prior);
  }
  return priors;
}

}  // namespace iskabm
