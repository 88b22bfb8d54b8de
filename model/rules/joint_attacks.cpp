// Joint attacks (ODD §7). An attack by group g from district d is joint with partner group q,
// which must have an operational tie with g active that day, with probability
//   joint.probability x strength(tie) x (1 if q has members in d,
//                                        joint.adjacent_weight if only in a neighbouring district,
//                                        0 otherwise);
// partners are tried in the order of the configuration's ties with one uniform draw, and the
// probabilities are scaled down if they sum above 1.
#include <algorithm>

#include "model/rules/rules.hpp"

namespace iskabm::rules {

int choose_joint_partner(const World& w, const State& s, GroupIndex g, DistrictIndex d, DayNumber day,
                         double u) noexcept {
  const auto& p = w.config.parameters;
  const auto n = w.districts();
  int partners[max_groups];
  double prob[max_groups];
  std::size_t k = 0;
  double total = 0;
  for (const auto& t : w.config.ties) {
    if (t.type != TieType::operational || !t.active(day) || (t.first != g && t.second != g)) continue;
    const GroupIndex q = t.first == g ? t.second : t.first;
    double where = 0;
    if (s.group_members[q * n + d] > 0) {
      where = 1.0;
    } else {
      for (auto e : w.geography->neighbours(d))
        if (s.group_members[q * n + e] > 0) {
          where = p.joint_adjacent_weight;
          break;
        }
    }
    const double x = p.joint_probability * w.tie_strength(t.quality) * where;
    if (x <= 0 || k == max_groups) continue;
    partners[k] = q;
    prob[k] = x;
    total += x;
    ++k;
  }
  const double scale = total > 1.0 ? 1.0 / total : 1.0;
  for (std::size_t i = 0; i < k; ++i) {
    const double x = prob[i] * scale;
    if (u < x) return partners[i];
    u -= x;
  }
  return -1;
}

}  // namespace iskabm::rules
