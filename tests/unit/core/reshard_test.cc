// Splits, merges and uniform scaling as metadata edits: coverage, lineage and AWS's refusals.
#include "eddy/core/reshard.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "eddy/core/hash_range.h"

namespace eddy::core {
namespace {

stream_meta stream_of(uint32_t shards) {
  stream_meta s;
  s.scope = {"000000000000", "us-east-1"};
  s.name = "s";
  for (const auto& r : split_evenly(shards)) {
    s.shards.push_back({shard_index{s.next_shard_index++}, r, std::nullopt, std::nullopt, 0, std::nullopt});
  }
  return s;
}

const account_limits kRoomy{500, 0, 0, 50};

// The open shards tile 0..2^128-1 exactly.
void expect_full_coverage(const stream_meta& s) {
  std::vector<hash_range> open;
  for (const auto& sh : s.shards) {
    if (sh.open()) open.push_back(sh.range);
  }
  std::sort(open.begin(), open.end(), [](const hash_range& a, const hash_range& b) { return a.start < b.start; });
  ASSERT_FALSE(open.empty());
  EXPECT_EQ(open.front().start, u128{0});
  EXPECT_EQ(open.back().end, u128_max);
  for (size_t i = 1; i < open.size(); ++i) EXPECT_EQ(open[i - 1].end + 1, open[i].start);
}

// Every child's range is covered by its parents' ranges (a split child inside its parent, a merged child
// exactly the union of both).
void expect_lineage(const stream_meta& s) {
  for (const auto& sh : s.shards) {
    if (!sh.parent) continue;
    const shard_meta* p = s.shard(*sh.parent);
    ASSERT_NE(p, nullptr);
    EXPECT_FALSE(p->open());
    if (sh.adjacent_parent) {
      const shard_meta* q = s.shard(*sh.adjacent_parent);
      ASSERT_NE(q, nullptr);
      EXPECT_FALSE(q->open());
      EXPECT_EQ(sh.range.start, p->range.start);
      EXPECT_EQ(sh.range.end, q->range.end);
      EXPECT_EQ(p->range.end + 1, q->range.start);
    } else {
      EXPECT_GE(sh.range.start, p->range.start);
      EXPECT_LE(sh.range.end, p->range.end);
    }
  }
}

TEST(Reshard, SplitClosesTheParentAndOpensTwoChildren) {
  stream_meta s = stream_of(1);
  const u128 half = u128{1} << 127;
  ASSERT_TRUE(split_shard(s, shard_index{0}, half, 42, kRoomy));
  ASSERT_EQ(s.shards.size(), 3u);
  EXPECT_EQ(s.shards[0].closed_ms, 42);
  EXPECT_EQ(s.shards[1].range, (hash_range{0, half - 1}));
  EXPECT_EQ(s.shards[2].range, (hash_range{half, u128_max}));
  EXPECT_EQ(s.shards[1].parent, shard_index{0});
  EXPECT_EQ(s.shards[2].parent, shard_index{0});
  expect_full_coverage(s);
}

TEST(Reshard, SplitRefusesKeysOutsideTheRangeClosedShardsAndTheShardLimit) {
  stream_meta s = stream_of(1);
  auto edge = split_shard(s, shard_index{0}, 1, 0, kRoomy);
  ASSERT_FALSE(edge);
  EXPECT_EQ(edge.error().code, errc::invalid_argument);
  EXPECT_EQ(edge.error().message,
            "NewStartingHashKey 1 used in SplitShard() on shard shardId-000000000000 in stream s under account "
            "000000000000 is not both greater than one plus the shard's StartingHashKey 0 and less than the shard's "
            "EndingHashKey 340282366920938463463374607431768211455.");
  EXPECT_FALSE(split_shard(s, shard_index{0}, u128_max, 0, kRoomy));
  EXPECT_EQ(split_shard(s, shard_index{7}, 100, 0, kRoomy).error().code, errc::resource_not_found);
  EXPECT_EQ(split_shard(s, shard_index{0}, 100, 0, {1, 1, 0, 50}).error().code, errc::limit_exceeded);
  ASSERT_TRUE(split_shard(s, shard_index{0}, 100, 0, kRoomy));
  auto closed = split_shard(s, shard_index{0}, 50, 0, kRoomy);
  ASSERT_FALSE(closed);
  EXPECT_EQ(closed.error().message,
            "Shard shardId-000000000000 in stream s under account 000000000000 has already been merged or split, and "
            "thus is not eligible for merging or splitting.");
}

TEST(Reshard, MergeNeedsTheLowerShardFirstAndAdjacentRanges) {
  stream_meta s = stream_of(3);
  EXPECT_EQ(merge_shards(s, shard_index{1}, shard_index{0}, 0).error().message,
            "Shards shardId-000000000001 and shardId-000000000000 in stream s under account 000000000000 are not an "
            "adjacent pair of shards eligible for merging");
  EXPECT_EQ(merge_shards(s, shard_index{0}, shard_index{2}, 0).error().code, errc::invalid_argument);
  ASSERT_TRUE(merge_shards(s, shard_index{0}, shard_index{1}, 5));
  const shard_meta& child = s.shards.back();
  EXPECT_EQ(child.index, shard_index{3});
  EXPECT_EQ(child.parent, shard_index{0});
  EXPECT_EQ(child.adjacent_parent, shard_index{1});
  EXPECT_EQ(s.open_shard_count(), 2u);
  expect_full_coverage(s);
  expect_lineage(s);
}

TEST(Reshard, UniformScalingEndsWithAFreshStreamsRangesAndValidLineage) {
  for (auto [from, to] : std::vector<std::pair<uint32_t, uint32_t>>{{1, 2}, {2, 4}, {4, 5}, {5, 3}, {10, 13}, {10, 5},
                                                                    {3, 3}, {7, 11}}) {
    SCOPED_TRACE(std::to_string(from) + " -> " + std::to_string(to));
    stream_meta s = stream_of(from);
    ASSERT_TRUE(scale_uniformly(s, to, 1, kRoomy));
    std::vector<hash_range> open;
    for (const auto& sh : s.shards) {
      if (sh.open()) open.push_back(sh.range);
    }
    std::sort(open.begin(), open.end(), [](const hash_range& a, const hash_range& b) { return a.start < b.start; });
    EXPECT_EQ(open, split_evenly(to));
    expect_full_coverage(s);
    expect_lineage(s);
  }
}

TEST(Reshard, UniformScalingKeepsAWSsLimits) {
  stream_meta s = stream_of(4);
  EXPECT_EQ(scale_uniformly(s, 9, 0, kRoomy).error().message,
            "UpdateShardCount cannot scale up over double your current open shard count. Current open shard count: 4, "
            "Target shard count: 9");
  EXPECT_EQ(scale_uniformly(s, 1, 0, kRoomy).error().message,
            "UpdateShardCount cannot scale down below half your current open shard count. Current open shard count: "
            "4, Target shard count: 1");
  EXPECT_EQ(scale_uniformly(s, 8, 0, {6, 4, 0, 50}).error().code, errc::limit_exceeded);
  // Ten scalings in any 24 hours, then a refusal until the oldest ages out.
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(scale_uniformly(s, i % 2 ? 4 : 5, 1000 + i, kRoomy)) << i;
  EXPECT_EQ(scale_uniformly(s, 4, 2000, kRoomy).error().code, errc::limit_exceeded);
  EXPECT_TRUE(scale_uniformly(s, 4, 1000 + 86'400'000, kRoomy));
}

}  // namespace
}  // namespace eddy::core
