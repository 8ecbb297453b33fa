#include "eddy/core/shard_id.h"

#include <gtest/gtest.h>

namespace eddy::core {
namespace {

TEST(ShardId, FormatsWithTwelveDigits) {
  EXPECT_EQ(format_shard_id(shard_index{0}), "shardId-000000000000");
  EXPECT_EQ(format_shard_id(shard_index{123456}), "shardId-000000123456");
}

TEST(ShardId, ParsesTheFormsAwsAccepts) {
  EXPECT_EQ(parse_shard_id("shardId-000000000007"), shard_index{7});
  EXPECT_EQ(parse_shard_id("7"), shard_index{7});
  EXPECT_EQ(parse_shard_id("anything-12"), shard_index{12});
  EXPECT_FALSE(parse_shard_id("shardId-"));
  EXPECT_FALSE(parse_shard_id("shardId-x1"));
  EXPECT_FALSE(parse_shard_id("99999999999"));  // beyond 32 bits
}

}  // namespace
}  // namespace eddy::core
