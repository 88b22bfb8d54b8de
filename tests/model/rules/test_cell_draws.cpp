// Cell-day draws (model/rules/cell_draws.cpp, rules::cell_stream; DrawScheme in
// model/random_stream.hpp): where each of a cell's four daily purposes takes its draws.
#include <catch2/catch.hpp>

#include "model/rules/rules.hpp"
#include "model/simulation.hpp"
#include "support/model_fixture.hpp"
#include "support/rule_fixture.hpp"

using namespace iskabm;

namespace {
// The first `n` raw draws of a stream.
std::vector<std::uint64_t> first_draws(RandomStream rng, std::size_t n) {
  std::vector<std::uint64_t> out;
  for (std::size_t k = 0; k < n; ++k) out.push_back(rng());
  return out;
}
}  // namespace

TEST_CASE("cell draws: under cell_day a purpose's first draw is its word of the cell-day block, then its own stream",
          "[rules][draws]") {
  test::RuleWorld rw;
  REQUIRE(rw.world.config.draws == DrawScheme::cell_day);  // the default
  const auto slot = rw.add_cell(rw.group("A"), rw.district("AFG-029"), 10);
  const auto uid = rw.uid(slot);
  const auto day = rw.day(3);
  const auto block = philox_block({rw.seed, rw.replicate, Purpose::cell_day, 3, uid, 0});
  for (std::size_t lane = 0; lane < cell_day_lanes.size(); ++lane) {
    const auto purpose = cell_day_lanes[lane];
    INFO("lane " << lane);
    CHECK(cell_day_lane(purpose) == static_cast<int>(lane));
    const auto own = first_draws(RandomStream(rw.seed, rw.replicate, purpose, 3, uid), 5);
    const auto got = first_draws(rules::cell_stream(rw.world, rw.state, day, slot, purpose), 6);
    CHECK(got[0] == block[lane]);
    CHECK(std::vector<std::uint64_t>(got.begin() + 1, got.end()) == own);  // then the purpose's own stream
    // The block filled at the start of the day gives the same draws as one computed on demand.
    rules::draw_cell_days(rw.world, rw.state, day);
    REQUIRE(rw.state.cell_day_known == 1);
    CHECK(first_draws(rules::cell_stream(rw.world, rw.state, day, slot, purpose), 6) == got);
    // ... but not another day's.
    CHECK(first_draws(rules::cell_stream(rw.world, rw.state, rw.day(4), slot, purpose), 1)[0] !=
          philox_block({rw.seed, rw.replicate, Purpose::cell_day, 3, uid, 0})[lane]);
  }
  CHECK(cell_day_lane(Purpose::observation) == -1);
  CHECK(cell_day_lane(Purpose::fission_fusion) == -1);
  // A purpose outside the block keeps its own stream from its start.
  CHECK(first_draws(rules::cell_stream(rw.world, rw.state, day, slot, Purpose::observation), 3) ==
        first_draws(RandomStream(rw.seed, rw.replicate, Purpose::observation, 3, uid), 3));
}

TEST_CASE("cell draws: under per_purpose each purpose's stream runs from its start, and no block is drawn",
          "[rules][draws]") {
  test::RuleWorld rw;
  rw.world.config.draws = DrawScheme::per_purpose;
  const auto slot = rw.add_cell(rw.group("A"), rw.district("AFG-029"), 10);
  const auto day = rw.day(2);
  rules::draw_cell_days(rw.world, rw.state, day);
  CHECK(rw.state.cell_day_known == 0);
  for (const auto purpose : cell_day_lanes)
    CHECK(first_draws(rules::cell_stream(rw.world, rw.state, day, slot, purpose), 5) ==
          first_draws(RandomStream(rw.seed, rw.replicate, purpose, 2, rw.uid(slot)), 5));
}

TEST_CASE("cell draws: the schemes give different numbers from the same seed, each reproducible",
          "[rules][draws]") {
  auto config = test::config_from_file(test::small_config);
  auto per_purpose = config;
  per_purpose.draws = DrawScheme::per_purpose;
  const auto a = test::world_from(std::move(config));
  const auto b = test::world_from(std::move(per_purpose));
  const auto ra = run_replicate(a, 5, 1), rb = run_replicate(b, 5, 1);
  CHECK(ra.group_monthly != rb.group_monthly);
  CHECK(run_replicate(a, 5, 1).group_monthly == ra.group_monthly);
  CHECK(run_replicate(b, 5, 1).group_monthly == rb.group_monthly);
}
