// The token buckets behind --enforce-limits, on a clock the test moves: AWS's per-shard and control-plane
// rates, bursts of one second's worth, and reads refused while a large reply's bytes are owed.
#include "throughput_limits.h"

#include <gtest/gtest.h>

namespace eddy::api {
namespace {

constexpr int64_t kMs = 1'000'000;
const core::shard_index s0{0};
const core::shard_index s1{1};

struct LimitsTest : ::testing::Test {
  int64_t now = 1'000'000'000;
  throughput_limits limits{[this] { return now; }};

  int writes(size_t n, size_t bytes, core::shard_index shard = s0) {
    int ok = 0;
    for (size_t i = 0; i < n; ++i) ok += limits.admit_write(7, shard, bytes, "PutRecords");
    return ok;
  }
};

TEST_F(LimitsTest, AThousandRecordsPerSecondPerShard) {
  EXPECT_EQ(writes(1500, 10), 1000);
  EXPECT_EQ(writes(10, 10, s1), 10) << "another shard has its own bucket";
  now += 100 * kMs;  // a tenth of a second refills a hundred records
  EXPECT_EQ(writes(500, 10), 100);
  now += 10'000 * kMs;  // never more than one second's worth
  EXPECT_EQ(writes(1500, 10), 1000);
}

TEST_F(LimitsTest, OneMebibytePerSecondPerShardAndRefusedRecordsCostNothing) {
  EXPECT_EQ(writes(5, 256 * 1024), 4);
  EXPECT_EQ(writes(1, 1), 0) << "the bytes are spent";
  now += 500 * kMs;
  EXPECT_EQ(writes(3, 256 * 1024), 2);
  // A record refused for its bytes gave its record token back: 1,000 small ones still pass after a second.
  now += 1000 * kMs;
  EXPECT_FALSE(limits.admit_write(7, s0, 2 * 1024 * 1024, "PutRecord"));
  EXPECT_EQ(writes(1000, 1), 1000);
}

TEST_F(LimitsTest, APutRecordsIsChargedAtTheInstantOfTheRequest) {
  // 500 records of 2,100 bytes are 1,050,000 bytes, 1,424 over 1 MiB. Processed slowly (the clock moves
  // a millisecond per record, about 1 KiB of refill each), they are still charged at the request's
  // instant, so the last one is refused as it is on a fast machine.
  const int64_t at = limits.now();
  int ok = 0;
  for (int i = 0; i < 500; ++i) {
    now += kMs;
    ok += limits.admit_write(7, s0, 2100, "PutRecords", at);
  }
  EXPECT_EQ(ok, 499);
}

TEST_F(LimitsTest, FiveGetRecordsPerSecondAndLargeRepliesBlockTheShard) {
  int ok = 0;
  for (int i = 0; i < 8; ++i) ok += limits.admit_read(7, s0);
  EXPECT_EQ(ok, 5);
  now += 200 * kMs;
  ASSERT_TRUE(limits.admit_read(7, s0));
  limits.charge_read(7, s0, 10u << 20);  // a 10 MiB reply: 8 MiB owed beyond the 2 MiB of this second
  now += 3000 * kMs;
  EXPECT_FALSE(limits.admit_read(7, s0)) << "still 2 MiB in debt after 3 s";
  now += 1100 * kMs;
  EXPECT_TRUE(limits.admit_read(7, s0)) << "paid off after about 4 s";
}

TEST_F(LimitsTest, ControlPlaneCallsPerAccountOrPerStream) {
  int ok = 0;
  for (int i = 0; i < 8; ++i) ok += limits.admit_call("CreateStream", "111111111111", "a");
  EXPECT_EQ(ok, 5);
  EXPECT_TRUE(limits.admit_call("CreateStream", "222222222222", "a")) << "each account has its own";
  EXPECT_TRUE(limits.admit_call("DescribeLimits", "111111111111", ""));
  EXPECT_FALSE(limits.admit_call("DescribeLimits", "111111111111", ""));
  ok = 0;
  for (int i = 0; i < 8; ++i) ok += limits.admit_call("ListStreamConsumers", "111111111111", "a");
  EXPECT_EQ(ok, 5);
  EXPECT_TRUE(limits.admit_call("ListStreamConsumers", "111111111111", "b")) << "counted per stream";
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(limits.admit_call("PutResourcePolicy", "111111111111", "a")) << "no limit";
}

TEST_F(LimitsTest, FiveGetShardIteratorsPerSecondPerShard) {
  int ok = 0;
  for (int i = 0; i < 7; ++i) ok += limits.admit_iterator(7, s0);
  EXPECT_EQ(ok, 5);
  now += 200 * kMs;
  EXPECT_TRUE(limits.admit_iterator(7, s0));
  EXPECT_FALSE(limits.admit_iterator(7, s0));
}

}  // namespace
}  // namespace eddy::api
