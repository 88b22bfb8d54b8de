// The chunk codec's zlib streams inflate (with zlib, as HDF5's deflate filter does) to the
// shuffled bytes of the array, for the run-length encoder of sparse chunks and for zlib's path,
// at every run length the encoder treats differently and for every element size.
#include <catch2/catch.hpp>
#include <zlib.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include "model/simulation.hpp"
#include "output/chunk_codec.hpp"
#include "support/model_fixture.hpp"

using namespace iskabm;

namespace {

std::vector<std::uint8_t> shuffled(const std::vector<std::uint8_t>& bytes, std::size_t element_size) {
  const std::size_t n = bytes.size() / element_size;
  std::vector<std::uint8_t> out(bytes.size());
  for (std::size_t j = 0; j < element_size; ++j)
    for (std::size_t i = 0; i < n; ++i) out[j * n + i] = bytes[i * element_size + j];
  return out;
}

// Inflates a zlib stream (checking its Adler-32) to exactly `size` bytes.
std::vector<std::uint8_t> inflated(const std::vector<std::uint8_t>& stream, std::size_t size) {
  std::vector<std::uint8_t> out(size + 1);
  uLongf length = static_cast<uLongf>(out.size());
  const int rc = uncompress(out.data(), &length, stream.data(), static_cast<uLong>(stream.size()));
  REQUIRE(rc == Z_OK);
  out.resize(length);
  return out;
}

void check_round_trip(const std::vector<std::uint8_t>& bytes, std::size_t element_size) {
  const auto n = bytes.size() / element_size;
  const auto want = shuffled(bytes, element_size);
  CHECK(inflated(shuffle_deflate_sparse(bytes.data(), n, element_size), bytes.size()) == want);
  CHECK(inflated(shuffle_deflate(bytes.data(), n, element_size, 1), bytes.size()) == want);
}

}  // namespace

TEST_CASE("chunk codec: zero runs of every length the encoder treats differently", "[output][codec]") {
  for (const std::size_t run : {0u, 1u, 2u, 3u, 4u, 10u, 257u, 258u, 259u, 260u, 261u, 515u, 516u, 517u, 100000u}) {
    INFO("run " << run);
    // zeros only; a non-zero byte then zeros; zeros then a non-zero byte
    std::vector<std::uint8_t> z(run, 0);
    check_round_trip(z, 1);
    auto after = z;
    after.insert(after.begin(), 7);
    check_round_trip(after, 1);
    auto before = z;
    before.push_back(200);  // a 9-bit literal
    check_round_trip(before, 1);
  }
}

TEST_CASE("chunk codec: sparse and dense arrays of every element size round-trip", "[output][codec]") {
  std::mt19937_64 rng(20150126);
  for (const std::size_t size : {1u, 2u, 4u, 8u})
    for (const double density : {0.0, 0.002, 0.05, 0.2, 0.3, 0.9})
      for (const std::size_t elements : {1u, 5u, 1000u, 32760u}) {
        INFO("element size " << size << ", density " << density << ", elements " << elements);
        std::vector<std::uint8_t> bytes(elements * size, 0);
        std::bernoulli_distribution nonzero(density);
        for (std::size_t i = 0; i < elements; ++i)
          if (nonzero(rng)) {
            const std::uint64_t v = rng() >> (rng() % 64);  // small and large values, high bytes set too
            std::memcpy(bytes.data() + i * size, &v, size);
          }
        check_round_trip(bytes, size);
      }
}

TEST_CASE("chunk codec: a district-month array of counts compresses like zlib's, and is deterministic",
          "[output][codec]") {
  std::vector<std::int32_t> counts(60 * 546, 0);  // one replicate's attacks: 60 months x 546 districts
  std::mt19937_64 rng(7);
  for (int k = 0; k < 70; ++k) counts[rng() % counts.size()] = static_cast<std::int32_t>(1 + rng() % 3);
  counts[12345] = 70000;  // a count above 65,535: three byte planes in play
  counts[500] = -1;       // and a negative one (all four)
  const auto a = shuffle_deflate(counts.data(), counts.size(), 4, 1);
  CHECK(a == shuffle_deflate(counts.data(), counts.size(), 4, 1));
  const std::size_t raw = counts.size() * 4;
  std::vector<std::uint8_t> bytes(raw);
  std::memcpy(bytes.data(), counts.data(), raw);
  CHECK(inflated(a, raw) == shuffled(bytes, 4));
  CHECK(a.size() < raw / 200);  // 131,040 bytes in under 660 bytes
  // zlib at level 1 on the same shuffled bytes: the run-length stream is smaller
  const auto s = shuffled(bytes, 4);
  uLongf zlength = compressBound(static_cast<uLong>(raw));
  std::vector<std::uint8_t> z(zlength);
  REQUIRE(compress2(z.data(), &zlength, s.data(), static_cast<uLong>(raw), 1) == Z_OK);
  CHECK(a.size() < zlength);
}

namespace {
// zlib's own bytes for a buffer, at a level, window and memory level.
std::vector<std::uint8_t> zlib_bytes(const std::vector<std::uint8_t>& s, int level, int window, int memory) {
  z_stream z{};
  REQUIRE(deflateInit2(&z, level, Z_DEFLATED, window, memory, Z_DEFAULT_STRATEGY) == Z_OK);
  std::vector<std::uint8_t> out(deflateBound(&z, static_cast<uLong>(s.size())));
  z.next_in = const_cast<std::uint8_t*>(s.data());
  z.avail_in = static_cast<uInt>(s.size());
  z.next_out = out.data();
  z.avail_out = static_cast<uInt>(out.size());
  REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}
}  // namespace

TEST_CASE("chunk codec: dense chunks are zlib's bytes at the chunk's window, chunk after chunk", "[output][codec]") {
  CHECK(zlib_window_bits(100) == 9);
  CHECK(zlib_window_bits(1920) == 11);
  CHECK(zlib_window_bits(1u << 20) == 15);
  CHECK(zlib_memory_level(9) == 2);
  CHECK(zlib_memory_level(15) == 8);  // zlib's default
  std::mt19937_64 rng(11);
  const int levels[] = {1, 1, 2, 2, 1, 1};  // reset between chunks of one level, re-initialised on a change
  const std::size_t sizes[] = {480, 480, 100, 20000, 480, 8};
  for (int k = 0; k < 6; ++k) {
    std::vector<std::int32_t> dense(sizes[k]);
    for (auto& v : dense) v = static_cast<std::int32_t>(1 + rng() % 50);
    std::vector<std::uint8_t> bytes(dense.size() * 4);
    std::memcpy(bytes.data(), dense.data(), bytes.size());
    const auto s = shuffled(bytes, 4);
    const int window = zlib_window_bits(s.size());
    const auto z = zlib_bytes(s, levels[k], window, zlib_memory_level(window));
    const auto got = shuffle_deflate(dense.data(), dense.size(), 4, levels[k]);
    CHECK(got == z);
    CHECK(inflated(got, s.size()) == s);  // inflate (window 15, as HDF5 opens it) reads it
  }
}

TEST_CASE("chunk codec: an array read only in its given rows gives shuffle_deflate's bytes", "[output][codec]") {
  std::mt19937_64 rng(31);
  for (const std::size_t width : {1u, 4u, 5u})
    for (const double row_density : {0.0, 0.003, 0.1, 0.3, 1.0}) {
      INFO("width " << width << ", rows with values " << row_density);
      const std::size_t rows = 60 * 546, n = rows * width;
      std::vector<std::int32_t> v(n, 0);
      std::vector<std::size_t> given;
      std::bernoulli_distribution pick(row_density), value(0.6);
      for (std::size_t r = 0; r < rows; ++r) {
        if (!pick(rng)) continue;
        given.push_back(r);
        for (std::size_t j = 0; j < width; ++j)
          if (value(rng)) v[r * width + j] = static_cast<std::int32_t>(1 + rng() % 70000);
      }
      CHECK(shuffle_deflate_rows(v.data(), n, given, width, 1) == shuffle_deflate(v.data(), n, 4, 1));
    }
  std::vector<std::int32_t> small{0, 3, 0, 0, 7};
  CHECK(nonzero_indexes(small.data(), small.size()) == std::vector<std::size_t>{1, 4});
  CHECK(shuffle_deflate_rows(small.data(), small.size(), {1, 4}, 1, 1) == shuffle_deflate(small.data(), 5, 4, 1));
}

TEST_CASE("chunk codec: a replicate's district arrays are zero wherever it has no attack (what the writer reads)",
          "[output][codec]") {
  const auto w = test::world_from(test::config_from_file(test::small_config));
  std::size_t attacked_rows = 0;
  for (std::uint64_t replicate = 0; replicate < 4; ++replicate) {
    const auto r = run_replicate(w, 11, replicate);
    const auto rows = nonzero_indexes(r.attacks.data(), r.attacks.size());
    attacked_rows += rows.size();
    for (const auto* v : {&r.attacks, &r.attacks_observed, &r.fatalities, &r.fatalities_observed, &r.joint_attacks,
                          &r.attacks_by_target, &r.attacks_by_tactic}) {
      const auto width = v->size() / r.attacks.size();
      for (std::size_t i = 0; i < v->size(); ++i)
        if ((*v)[i] != 0) REQUIRE(r.attacks[i / width] != 0);
      CHECK(shuffle_deflate_rows(v->data(), v->size(), rows, width, 1) == shuffle_deflate(v->data(), v->size(), 4, 1));
    }
  }
  CHECK(attacked_rows > 20);  // the replicates attack: the property is not checked on empty arrays
}
