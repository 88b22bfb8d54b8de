#include "base/run_plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <limits>
#include <map>
#include <numeric>

#include "base/errors.hpp"

namespace iskabm {

namespace {

// A plain decimal integer (digits only, no sign, no leading zeros but "0"), the whole of `text`.
std::optional<std::uint64_t> decimal(std::string_view text) {
  if (text.empty() || (text.size() > 1 && text.front() == '0')) return std::nullopt;
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

// Removes `key` from the front of `s`; false (and `s` unchanged) if it is not there.
bool consume(std::string_view& s, std::string_view key) {
  if (!s.starts_with(key)) return false;
  s.remove_prefix(key.size());
  return true;
}

// The token at the front of `s` (up to the next space), removed from `s`.
std::string_view token(std::string_view& s) {
  const auto n = std::min(s.find(' '), s.size());
  const auto t = s.substr(0, n);
  s.remove_prefix(n);
  return t;
}

}  // namespace

Shard parse_shard(std::string_view text) {
  const auto slash = text.find('/');
  const auto k = slash == std::string_view::npos ? std::nullopt : decimal(text.substr(0, slash));
  const auto n = slash == std::string_view::npos ? std::nullopt : decimal(text.substr(slash + 1));
  if (!k || !n)
    throw UsageError(
        fmt::format("--shard {}: expected K/N, shard K (0-based) of N, e.g. --shard 0/4 to --shard 3/4", text));
  if (*n == 0) throw UsageError(fmt::format("--shard {}: the number of shards N must be at least 1", text));
  if (*k >= *n) throw UsageError(fmt::format("--shard {}: shards are numbered 0 to N-1 (here 0 to {})", text, *n - 1));
  return Shard{*k, *n};
}

ReplicateRange shard_range(const ReplicateRange& ensemble, const Shard& s) {
  const auto R = ensemble.count, N = s.count, K = s.index;
  if (N == 0) throw UsageError("--shard: the number of shards must be at least 1");
  if (K >= N)
    throw UsageError(fmt::format("--shard {}: shards are numbered 0 to N-1 (here 0 to {})", to_string(s), N - 1));
  if (N > R)
    throw UsageError(fmt::format("--shard {}: {} shards of {} replicate(s) would leave shards empty; use at most {}",
                                 to_string(s), N, R, R));
  if (N > std::numeric_limits<std::uint32_t>::max())
    throw UsageError(fmt::format("--shard {}: too many shards", to_string(s)));
  // floor(K·R/N) without overflow: R = qN + r, so K·R/N = Kq + K·r/N with K·r < N² < 2^64.
  const auto q = R / N, r = R % N;
  const auto begin = [&](std::uint64_t k) { return k * q + k * r / N; };
  return ReplicateRange{ensemble.first + begin(K), begin(K + 1) - begin(K)};
}

std::string to_string(const Shard& s) { return fmt::format("{}/{}", s.index, s.count); }

std::string to_string(const ReplicateRange& r) {
  if (r.count == 0) return "none";
  if (r.count == 1) return fmt::format("{}", r.first);
  return fmt::format("{}-{}", r.first, r.end() - 1);
}

std::string RunCommand::text() const {
  auto s = fmt::format("iskabm run {} --seed {} --first-replicate {} --replicates {}", scenario, seed, ensemble.first,
                       ensemble.count);
  if (shard) s += fmt::format(" --shard {}", to_string(*shard));
  if (no_posterior) s += " --no-posterior";
  if (!posterior.empty()) s += fmt::format(" --posterior {}", posterior);
  return s;
}

ReplicateRange RunCommand::written() const { return shard ? shard_range(ensemble, *shard) : ensemble; }

std::optional<RunCommand> parse_run_command(std::string_view history) {
  auto s = history;
  RunCommand c;
  if (!consume(s, "iskabm run ")) return std::nullopt;
  const auto at = s.find(" --seed ");
  if (at == std::string_view::npos || at == 0) return std::nullopt;
  c.scenario = std::string(s.substr(0, at));
  s.remove_prefix(at);
  std::optional<std::uint64_t> seed, first, count;
  if (consume(s, " --seed ")) seed = decimal(token(s));
  if (consume(s, " --first-replicate ")) first = decimal(token(s));
  if (consume(s, " --replicates ")) count = decimal(token(s));
  if (!seed || !first || !count) return std::nullopt;
  c.seed = *seed;
  c.ensemble = ReplicateRange{*first, *count};
  try {
    if (consume(s, " --shard ")) {
      c.shard = parse_shard(token(s));
      (void)c.written();  // a valid shard of this ensemble
    }
  } catch (const UsageError&) {
    return std::nullopt;
  }
  c.no_posterior = consume(s, " --no-posterior");
  if (consume(s, " --posterior ")) {
    if (s.empty()) return std::nullopt;
    c.posterior = std::string(s);
    s = {};
  }
  if (!s.empty() || c.text() != history) return std::nullopt;
  return c;
}

std::vector<std::size_t> tiling_order(const std::vector<EnsemblePiece>& pieces,
                                      const std::optional<ReplicateRange>& whole) {
  std::vector<std::size_t> order(pieces.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  if (pieces.empty()) return order;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const auto &x = pieces[a].replicates, &y = pieces[b].replicates;
    return x.first != y.first ? x.first < y.first : x.count < y.count;
  });
  const auto& head = pieces[order.front()];
  const auto& tail = pieces[order.back()];

  // Shards: each one exactly once.
  if (head.shard && whole) {
    const auto n = head.shard->count;
    std::map<std::uint64_t, std::size_t> seen;  // shard index -> piece
    for (std::size_t i = 0; i < pieces.size(); ++i) {
      const auto& p = pieces[i];
      if (!p.shard || p.shard->count != n)
        throw DataError(p.file, 0, "shard_count",
                        fmt::format("not one of the {} shards of {}'s ensemble", n, head.file));
      const auto [it, fresh] = seen.emplace(p.shard->index, i);
      if (!fresh) {
        const auto& other = pieces[it->second].file;
        throw DataError(p.file, 0, "shard_index",
                        other == p.file ? fmt::format("given twice (shard {}, replicates {})", to_string(*p.shard),
                                                      to_string(p.replicates))
                                        : fmt::format("shard {} (replicates {}) is also in {}: each shard once",
                                                      to_string(*p.shard), to_string(p.replicates), other));
      }
    }
    std::vector<std::string> missing;
    for (std::uint64_t k = 0; k < n; ++k)
      if (!seen.contains(k)) {
        if (missing.size() == 8) {
          missing.push_back("...");
          break;
        }
        missing.push_back(
            fmt::format("{} (replicates {})", to_string(Shard{k, n}), to_string(shard_range(*whole, Shard{k, n}))));
      }
    if (!missing.empty())
      throw DataError(pieces.front().file, 0, "shard_index",
                      fmt::format("{} {} of its ensemble of {} shards {} in none of the files given",
                                  missing.size() == 1 ? "shard" : "shards", fmt::join(missing, ", "), n,
                                  missing.size() == 1 ? "is" : "are"));
  }

  // Contiguous, without overlaps.
  for (std::size_t j = 1; j < order.size(); ++j) {
    const auto &prev = pieces[order[j - 1]], &cur = pieces[order[j]];
    if (cur.replicates.first < prev.replicates.end())
      throw DataError(cur.file, 0, "replicate",
                      prev.file == cur.file
                          ? fmt::format("given twice (replicates {})", to_string(cur.replicates))
                          : fmt::format("its replicates {} overlap with those of {} ({})", to_string(cur.replicates),
                                        prev.file, to_string(prev.replicates)));
    if (cur.replicates.first > prev.replicates.end())
      throw DataError(
          cur.file, 0, "replicate",
          fmt::format("replicates {} are in none of the files given (between {}, replicates {}, and this "
                      "file, replicates {})",
                      to_string(ReplicateRange{prev.replicates.end(), cur.replicates.first - prev.replicates.end()}),
                      prev.file, to_string(prev.replicates), to_string(cur.replicates)));
  }
  if (whole && (head.replicates.first < whole->first || tail.replicates.end() > whole->end()))
    throw DataError(head.replicates.first < whole->first ? head.file : tail.file, 0, "replicate",
                    fmt::format("holds replicates outside its ensemble's {}", to_string(*whole)));
  if (whole && head.replicates.first > whole->first)
    throw DataError(head.file, 0, "replicate",
                    fmt::format("replicates {} of the ensemble are in none of the files given",
                                to_string(ReplicateRange{whole->first, head.replicates.first - whole->first})));
  if (whole && tail.replicates.end() < whole->end())
    throw DataError(
        tail.file, 0, "replicate",
        fmt::format("replicates {} of the ensemble are in none of the files given",
                    to_string(ReplicateRange{tail.replicates.end(), whole->end() - tail.replicates.end()})));
  return order;
}

}  // namespace iskabm
