#include "eddy/core/hash_range.h"

#include <gtest/gtest.h>

namespace eddy::core {
namespace {

void expect_full_cover(const std::vector<hash_range>& ranges) {
  ASSERT_FALSE(ranges.empty());
  EXPECT_EQ(ranges.front().start, 0);
  EXPECT_EQ(ranges.back().end, u128_max);
  for (size_t i = 1; i < ranges.size(); ++i) {
    EXPECT_EQ(ranges[i].start, ranges[i - 1].end + 1) << "gap or overlap before range " << i;
  }
}

TEST(HashRange, OneShardCoversTheWholeSpace) {
  auto r = split_evenly(1);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].start, 0);
  EXPECT_EQ(r[0].end, u128_max);
}

TEST(HashRange, PowerOfTwoSplitsAreExact) {
  auto r = split_evenly(4);
  expect_full_cover(r);
  EXPECT_EQ(r[1].start, u128{1} << 126);
  EXPECT_EQ(to_decimal(r[0].end), "85070591730234615865843651857942052863");
}

TEST(HashRange, UnevenSplitsGiveTheRemainderToTheLastShard) {
  for (uint32_t n : {3u, 7u, 10u, 1000u}) {
    auto r = split_evenly(n);
    ASSERT_EQ(r.size(), n);
    expect_full_cover(r);
    const u128 size = r[0].end - r[0].start + 1;
    // floor(2^128 / n) for each but the last.
    EXPECT_EQ(size, u128_max / n + (u128_max % n == n - 1 ? 1 : 0));
    EXPECT_GE(r.back().end - r.back().start + 1, size);
  }
  EXPECT_EQ(to_decimal(split_evenly(3)[0].end), "113427455640312821154458202477256070484");
}

TEST(HashRange, PartitionHashIsBigEndianMd5) {
  // md5("") = d41d8cd98f00b204e9800998ecf8427e
  EXPECT_EQ(to_decimal(partition_hash("")), "281949768489412648962353822266799178366");
  EXPECT_TRUE(split_evenly(2)[1].contains(partition_hash("")));
}

}  // namespace
}  // namespace eddy::core
