#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "base/errors.hpp"
#include "base/run_plan.hpp"
#include "support/data_error.hpp"

using namespace iskabm;

namespace {

using test::data_error;

std::vector<EnsemblePiece> shards_of(const ReplicateRange& ensemble, std::uint64_t n,
                                     const std::vector<std::uint64_t>& indices) {
  std::vector<EnsemblePiece> out;
  for (auto k : indices)
    out.push_back(EnsemblePiece{fmt::format("s{}.h5", k), shard_range(ensemble, Shard{k, n}), Shard{k, n}});
  return out;
}

}  // namespace

TEST_CASE("shard: ranges of even and uneven shards", "[ensemble][shard]") {
  CHECK(shard_range({0, 12}, {0, 4}) == ReplicateRange{0, 3});
  CHECK(shard_range({0, 12}, {1, 4}) == ReplicateRange{3, 3});
  CHECK(shard_range({0, 12}, {3, 4}) == ReplicateRange{9, 3});
  // floor(K*10/3) = 0, 3, 6, 10: the last shard takes the extra replicate.
  CHECK(shard_range({0, 10}, {0, 3}) == ReplicateRange{0, 3});
  CHECK(shard_range({0, 10}, {1, 3}) == ReplicateRange{3, 3});
  CHECK(shard_range({0, 10}, {2, 3}) == ReplicateRange{6, 4});
  // Offset by --first-replicate.
  CHECK(shard_range({100, 10}, {2, 3}) == ReplicateRange{106, 4});
  CHECK(shard_range({5, 7}, {0, 1}) == ReplicateRange{5, 7});
  CHECK(shard_range({5, 7}, {6, 7}) == ReplicateRange{11, 1});
}

TEST_CASE("shard: every split tiles the ensemble with sizes differing by at most one", "[ensemble][shard]") {
  for (const std::uint64_t first : std::vector<std::uint64_t>{0, 17})
    for (std::uint64_t r = 1; r <= 40; ++r)
      for (std::uint64_t n = 1; n <= r; ++n) {
        std::uint64_t at = first, smallest = r, largest = 0;
        for (std::uint64_t k = 0; k < n; ++k) {
          const auto s = shard_range({first, r}, {k, n});
          REQUIRE(s.first == at);
          REQUIRE(s.first - first == k * r / n);  // the documented formula
          at = s.end();
          smallest = std::min(smallest, s.count);
          largest = std::max(largest, s.count);
        }
        REQUIRE(at == first + r);
        REQUIRE(smallest >= 1);
        REQUIRE(largest - smallest <= 1);
      }
}

TEST_CASE("shard: huge ensembles do not overflow", "[ensemble][shard]") {
  const std::uint64_t r = (1ULL << 62) + 12345, n = 1000003;
  std::uint64_t at = 0;
  for (const std::uint64_t k : std::vector<std::uint64_t>{0, 1, 500000, n - 2, n - 1}) {
    const auto s = shard_range({0, r}, {k, n});
    CHECK(s.count >= r / n);
    CHECK(s.count <= r / n + 1);
    at = s.end();
  }
  CHECK(at == r);
}

TEST_CASE("shard: invalid shards are usage errors", "[ensemble][shard]") {
  CHECK_THROWS_AS(shard_range({0, 12}, {4, 4}), UsageError);
  CHECK_THROWS_AS(shard_range({0, 12}, {0, 0}), UsageError);
  CHECK_THROWS_WITH(shard_range({0, 3}, {0, 4}), Catch::Contains("would leave shards empty"));
}

TEST_CASE("shard: K/N is parsed strictly", "[ensemble][shard]") {
  CHECK(parse_shard("0/4") == Shard{0, 4});
  CHECK(parse_shard("3/4") == Shard{3, 4});
  CHECK(parse_shard("0/1") == Shard{0, 1});
  CHECK_THROWS_WITH(parse_shard("4/4"), Catch::Contains("numbered 0 to N-1 (here 0 to 3)"));
  CHECK_THROWS_WITH(parse_shard("0/0"), Catch::Contains("at least 1"));
  for (const char* bad : {"", "1", "1/", "/4", "a/4", "1/b", "-1/4", "1/-4", "01/4", "1/04", "1/4/5", " 1/4", "1/4 ",
                          "1.0/4", "99999999999999999999/4"})
    CHECK_THROWS_AS(parse_shard(bad), UsageError);
}

TEST_CASE("shard: the canonical run command reads back", "[ensemble][shard]") {
  RunCommand c{"baseline_2015_2018.toml", 20150126, {0, 100}, std::nullopt, false, "default_posterior.csv"};
  CHECK(c.text() ==
        "iskabm run baseline_2015_2018.toml --seed 20150126 --first-replicate 0 --replicates 100 --posterior "
        "default_posterior.csv");
  for (auto shard : {std::optional<Shard>(), std::optional<Shard>(Shard{2, 3})})
    for (bool no_posterior : {false, true})
      for (const char* posterior : {"", "my posterior.h5"}) {
        c.shard = shard;
        c.no_posterior = no_posterior;
        c.posterior = posterior;
        const auto back = parse_run_command(c.text());
        REQUIRE(back);
        CHECK(back->text() == c.text());
        CHECK(back->scenario == c.scenario);
        CHECK(back->seed == c.seed);
        CHECK(back->ensemble == c.ensemble);
        CHECK(back->shard == c.shard);
        CHECK(back->no_posterior == c.no_posterior);
        CHECK(back->posterior == c.posterior);
      }
  c = RunCommand{"x.toml", 7, {10, 12}, Shard{1, 4}, false, ""};
  CHECK(c.text() == "iskabm run x.toml --seed 7 --first-replicate 10 --replicates 12 --shard 1/4");
  CHECK(c.written() == ReplicateRange{13, 3});
  for (const char* other : {"", "iskabm run test", "iskabm run x.toml --seed 7 --first-replicate 0",
                            "iskabm run x.toml --seed 7 --first-replicate 0 --replicates 3 --threads 2",
                            "iskabm run x.toml --seed 07 --first-replicate 0 --replicates 3",
                            "iskabm run x.toml --seed 7 --first-replicate 0 --replicates 3 --shard 3/3",
                            "iskabm run x.toml --seed 7 --first-replicate 0 --replicates 3 --shard 0/4",
                            "iskabm run x.toml --seed 7 --first-replicate 0 --replicates 3 --posterior ",
                            "iskabm calibrate x.toml --seed 7 --first-replicate 0 --replicates 3"})
    CHECK_FALSE(parse_run_command(other));
}

TEST_CASE("shard: pieces in any order tile their ensemble", "[ensemble][shard]") {
  const ReplicateRange whole{0, 10};
  const auto pieces = shards_of(whole, 3, {2, 0, 1});
  CHECK(tiling_order(pieces, whole) == std::vector<std::size_t>{1, 2, 0});
  // Plain ranges: contiguous, any order, no ensemble given.
  const std::vector<EnsemblePiece> plain{{"b.h5", {5, 7}, std::nullopt}, {"a.h5", {0, 5}, std::nullopt}};
  CHECK(tiling_order(plain, std::nullopt) == std::vector<std::size_t>{1, 0});
}

TEST_CASE("shard: gaps, overlaps and missing shards are named", "[ensemble][shard]") {
  const ReplicateRange whole{0, 12};
  CHECK_THAT(data_error([&] {
               (void)tiling_order(shards_of(whole, 4, {0, 1, 3}), whole);
             }),
             Catch::Contains("shard 2/4 (replicates 6-8)") && Catch::Contains("in none of the files given"));
  CHECK_THAT(data_error([&] {
               (void)tiling_order(shards_of(whole, 4, {3, 0}), whole);
             }),
             Catch::Contains("shards 1/4 (replicates 3-5), 2/4 (replicates 6-8)"));
  CHECK_THAT(data_error([&] {
               (void)tiling_order(shards_of(whole, 4, {0, 1, 1, 2, 3}), whole);
             }),
             Catch::Contains("s1.h5: shard_index: given twice"));
  auto twice = shards_of(whole, 4, {0, 1, 2, 3, 2});
  twice.back().file = "copy.h5";
  CHECK_THAT(data_error([&] { (void)tiling_order(twice, whole); }),
             Catch::Contains("copy.h5") && Catch::Contains("is also in s2.h5"));

  const std::vector<EnsemblePiece> overlap{{"a.h5", {0, 6}, std::nullopt}, {"b.h5", {4, 8}, std::nullopt}};
  CHECK_THAT(data_error([&] { (void)tiling_order(overlap, std::nullopt); }),
             Catch::Contains("b.h5: replicate: its replicates 4-11 overlap with those of a.h5 (0-5)"));
  const std::vector<EnsemblePiece> gap{{"a.h5", {0, 4}, std::nullopt}, {"b.h5", {6, 6}, std::nullopt}};
  CHECK_THAT(data_error([&] { (void)tiling_order(gap, std::nullopt); }),
             Catch::Contains("replicates 4-5 are in none of the files given"));
  CHECK_THAT(data_error([&] { (void)tiling_order(gap, ReplicateRange{0, 14}); }), Catch::Contains("replicates 4-5"));
  const std::vector<EnsemblePiece> short_tail{{"a.h5", {0, 4}, std::nullopt}};
  CHECK_THAT(data_error([&] {
               (void)tiling_order(short_tail, ReplicateRange{0, 6});
             }),
             Catch::Contains("replicates 4-5 of the ensemble are in none of the files given"));
}
