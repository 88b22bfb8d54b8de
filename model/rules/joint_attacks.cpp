// Joint attacks (ODD §7.8). For each operational tie of group g active that day, the partner q is
// at hand from district d with weight
//   a_q = strength(tie) x (1 if q has members in d, joint.adjacent_weight if only in a
//                          neighbouring district, 0 otherwise).
// Operational support s = min(1, sum of a_q) raises the attack hazard (attacks.cpp). An attack is
// joint with q with probability joint.probability x a_q; partners are tried in the order of the
// configuration's ties with one uniform draw, probabilities scaled down if they sum above 1.
#include <algorithm>

#include "model/rules/rules.hpp"

namespace iskabm::rules {

namespace {
// Fills the partners at hand and their weights a_q; returns how many.
std::size_t partners_at_hand(const World& w, const State& s, GroupIndex g, DistrictIndex d, DayNumber day,
                             int (&partners)[max_groups], double (&weight)[max_groups]) noexcept {
  const auto& p = w.config.parameters;
  std::size_t k = 0;
  for (const auto& t : w.config.ties) {
    if (t.type != TieType::operational || !t.active(day) || (t.first != g && t.second != g)) continue;
    const GroupIndex q = t.first == g ? t.second : t.first;
    double where = 0;
    const std::uint32_t partner = std::uint32_t{1} << q;
    if (any_present(s, partner, d)) {
      where = 1.0;
    } else {
      for (auto e : w.geography->neighbours(d))
        if (any_present(s, partner, e)) {
          where = p.joint_adjacent_weight;
          break;
        }
    }
    const double x = w.tie_strength(t.quality) * where;
    if (x <= 0) continue;
    // Two operational ties with the same partner (e.g. overlapping periods) count once, the stronger.
    std::size_t i = 0;
    while (i < k && partners[i] != q) ++i;
    if (i < k) {
      weight[i] = std::max(weight[i], x);
      continue;
    }
    if (k == max_groups) continue;
    partners[k] = q;
    weight[k] = x;
    ++k;
  }
  return k;
}
}  // namespace

double operational_support(const World& w, const State& s, GroupIndex g, DistrictIndex d, DayNumber day) noexcept {
  int partners[max_groups];
  double weight[max_groups];
  const auto k = partners_at_hand(w, s, g, d, day, partners, weight);
  double total = 0;
  for (std::size_t i = 0; i < k; ++i) total += weight[i];
  return std::min(1.0, total);
}

int choose_joint_partner(const World& w, const State& s, GroupIndex g, DistrictIndex d, DayNumber day,
                         double u) noexcept {
  int partners[max_groups];
  double prob[max_groups];
  const auto k = partners_at_hand(w, s, g, d, day, partners, prob);
  double total = 0;
  for (std::size_t i = 0; i < k; ++i) total += prob[i] *= w.config.parameters.joint_probability;
  const double scale = total > 1.0 ? 1.0 / total : 1.0;
  for (std::size_t i = 0; i < k; ++i) {
    const double x = prob[i] * scale;
    if (u < x) return partners[i];
    u -= x;
  }
  return -1;
}

}  // namespace iskabm::rules
