#include "eddy/core/reshard.h"

#include <algorithm>

#include "eddy/core/hash_range.h"

namespace eddy::core {
namespace {

std::string where(const stream_meta& s) { return " in stream " + s.name + " under account " + s.scope.account; }

result<shard_meta*> open_shard(stream_meta& s, shard_index ix) {
  for (auto& sh : s.shards) {
    if (sh.index != ix) continue;
    if (!sh.open()) {
      return make_error(errc::invalid_argument, "Shard " + format_shard_id(ix) + where(s) +
                                                   " has already been merged or split, and thus is not eligible for "
                                                   "merging or splitting.");
    }
    return &sh;
  }
  return make_error(errc::resource_not_found, "Could not find shard " + format_shard_id(ix) + where(s) + ".");
}

result<void> within_shard_limit(const stream_meta& s, const account_limits& account, int64_t added) {
  if (account.open_shard_count + added <= account.shard_limit) return {};
  return make_error(errc::limit_exceeded,
                    "This request would exceed the shard limit for the account " + s.scope.account + " in " +
                        s.scope.region + ". Current shard count for the account: " +
                        std::to_string(account.open_shard_count) + ". Limit: " + std::to_string(account.shard_limit) +
                        ". Number of additional shards that would have resulted from this request: " +
                        std::to_string(added) +
                        ". Refer to the AWS Service Limits page "
                        "(http://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) for current limits "
                        "and how to request higher limits.");
}

shard_meta& add_child(stream_meta& s, hash_range range, shard_index parent, std::optional<shard_index> adjacent,
                      int64_t now_ms) {
  s.shards.push_back({shard_index{s.next_shard_index++}, range, parent, adjacent, now_ms, std::nullopt});
  return s.shards.back();
}

shard_meta& by_index(stream_meta& s, shard_index ix) {
  for (auto& sh : s.shards) {
    if (sh.index == ix) return sh;
  }
  return s.shards.front();  // unreachable: callers pass indexes they just found or made
}

// The two steps without the checks, for scale_uniformly's intermediate shards. They return the new
// shards' indexes; push_back may move the vector, so callers keep indexes, not references.
std::pair<shard_index, shard_index> do_split(stream_meta& s, shard_index parent, u128 at, int64_t now_ms) {
  const hash_range r = by_index(s, parent).range;
  by_index(s, parent).closed_ms = now_ms;
  const shard_index low = add_child(s, {r.start, at - 1}, parent, std::nullopt, now_ms).index;
  const shard_index high = add_child(s, {at, r.end}, parent, std::nullopt, now_ms).index;
  return {low, high};
}

shard_index do_merge(stream_meta& s, shard_index lower, shard_index upper, int64_t now_ms) {
  const hash_range r{by_index(s, lower).range.start, by_index(s, upper).range.end};
  by_index(s, lower).closed_ms = now_ms;
  by_index(s, upper).closed_ms = now_ms;
  return add_child(s, r, lower, upper, now_ms).index;
}

}  // namespace

result<void> split_shard(stream_meta& s, shard_index parent, u128 new_starting_hash_key, int64_t now_ms,
                         const account_limits& account) {
  auto shard = open_shard(s, parent);
  if (!shard) return fail(std::move(shard).error());
  if (auto ok = within_shard_limit(s, account, 1); !ok) return ok;
  const hash_range r = (*shard)->range;
  if (new_starting_hash_key <= r.start + 1 || new_starting_hash_key >= r.end) {
    return make_error(errc::invalid_argument,
                      "NewStartingHashKey " + to_decimal(new_starting_hash_key) + " used in SplitShard() on shard " +
                          format_shard_id(parent) + where(s) +
                          " is not both greater than one plus the shard's StartingHashKey " + to_decimal(r.start) +
                          " and less than the shard's EndingHashKey " + to_decimal(r.end) + ".");
  }
  do_split(s, parent, new_starting_hash_key, now_ms);
  return {};
}

result<void> merge_shards(stream_meta& s, shard_index lower, shard_index upper, int64_t now_ms) {
  auto a = open_shard(s, lower);
  if (!a) return fail(std::move(a).error());
  auto b = open_shard(s, upper);
  if (!b) return fail(std::move(b).error());
  if ((*a)->range.end == u128_max || (*a)->range.end + 1 != (*b)->range.start) {
    return make_error(errc::invalid_argument, "Shards " + format_shard_id(lower) + " and " + format_shard_id(upper) +
                                                  where(s) + " are not an adjacent pair of shards eligible for merging");
  }
  do_merge(s, lower, upper, now_ms);
  return {};
}

result<void> scale_uniformly(stream_meta& s, uint32_t target, int64_t now_ms, const account_limits& account) {
  const auto open = static_cast<int64_t>(s.open_shard_count());
  const std::string counts =
      "Current open shard count: " + std::to_string(open) + ", Target shard count: " + std::to_string(target);
  if (target > account.shard_limit || account.open_shard_count - open + target > account.shard_limit) {
    return make_error(errc::limit_exceeded, "Target shard count or number of open shards cannot be greater than " +
                                                std::to_string(account.shard_limit) + ". " + counts);
  }
  if (target > open * 2) {
    return make_error(errc::limit_exceeded,
                      "UpdateShardCount cannot scale up over double your current open shard count. " + counts);
  }
  if (target * 2 < open) {
    return make_error(errc::limit_exceeded,
                      "UpdateShardCount cannot scale down below half your current open shard count. " + counts);
  }
  std::erase_if(s.scaling_ms, [&](int64_t t) { return t <= now_ms - 86'400'000; });
  if (s.scaling_ms.size() >= max_scalings_per_day) {
    return make_error(errc::limit_exceeded, "Stream " + s.name + " under account " + s.scope.account +
                                                " has been scaled " + std::to_string(s.scaling_ms.size()) +
                                                " times in the last 24 hours; at most " +
                                                std::to_string(max_scalings_per_day) + " are allowed.");
  }
  s.scaling_ms.push_back(now_ms);

  // Step 1: cut every open shard at each target boundary strictly inside it.
  const std::vector<hash_range> goal = split_evenly(target);
  std::vector<shard_index> opened;
  for (const auto& sh : s.shards) {
    if (sh.open()) opened.push_back(sh.index);
  }
  std::vector<shard_index> pieces;
  for (shard_index ix : opened) {
    shard_index rest = ix;
    for (const auto& g : goal) {
      const hash_range r = by_index(s, rest).range;
      if (g.start > r.start && g.start <= r.end) {
        auto [low, high] = do_split(s, rest, g.start, now_ms);
        pieces.push_back(low);
        rest = high;
      }
    }
    pieces.push_back(rest);
  }
  std::sort(pieces.begin(), pieces.end(),
            [&](shard_index a, shard_index b) { return by_index(s, a).range.start < by_index(s, b).range.start; });

  // Step 2: merge the pieces of each target range, left to right.
  size_t next = 0;
  for (const auto& g : goal) {
    shard_index acc = pieces[next++];
    while (by_index(s, acc).range.end < g.end) acc = do_merge(s, acc, pieces[next++], now_ms);
  }
  return {};
}

}  // namespace eddy::core
