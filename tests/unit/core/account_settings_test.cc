#include "eddy/core/account_settings.h"

#include <gtest/gtest.h>

namespace eddy::core {
namespace {

constexpr int64_t kHour = 3'600'000;
const stream_scope kScope{"000000000000", "us-east-1"};

TEST(AccountSettings, StartsDisabledWithNoTimes) {
  auto store = storage::make_memory_store();
  auto s = load_account_settings(*store, kScope, 1000);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->commitment, commitment_status::disabled);
  EXPECT_FALSE(s->started_ms || s->ended_ms || s->earliest_end_ms);
}

TEST(AccountSettings, EnablingStartsA24HourCommitment) {
  const auto s = request_commitment({}, true, 10 * kHour);
  EXPECT_EQ(s.commitment, commitment_status::enabled);
  EXPECT_EQ(s.started_ms, 10 * kHour);
  EXPECT_EQ(s.earliest_end_ms, 34 * kHour);
  EXPECT_FALSE(s.ended_ms);
}

TEST(AccountSettings, DisablingEarlyRunsUntilTheEarliestEndThenSettles) {
  auto s = request_commitment({}, true, 0);
  s = request_commitment(s, false, 2 * kHour);
  EXPECT_EQ(s.commitment, commitment_status::enabled_until_earliest_allowed_end);
  EXPECT_EQ(s.ended_ms, 24 * kHour);
  EXPECT_TRUE(s.commitment_active());
  EXPECT_EQ(settle(s, 24 * kHour - 1).commitment,
            commitment_status::enabled_until_earliest_allowed_end);
  EXPECT_EQ(settle(s, 24 * kHour).commitment, commitment_status::disabled);
  EXPECT_FALSE(settle(s, 24 * kHour).commitment_active());
}

TEST(AccountSettings, EnablingAgainCancelsAPendingEnd) {
  auto s = request_commitment({}, true, 0);
  s = request_commitment(s, false, kHour);
  s = request_commitment(s, true, 2 * kHour);
  EXPECT_EQ(s.commitment, commitment_status::enabled);
  EXPECT_EQ(s.started_ms, 0) << "the same commitment goes on";
  EXPECT_FALSE(s.ended_ms);
}

TEST(AccountSettings, DisablingAfterTheMinimumEndsAtOnce) {
  auto s = request_commitment({}, true, 0);
  s = request_commitment(s, false, 30 * kHour);
  EXPECT_EQ(s.commitment, commitment_status::disabled);
  EXPECT_EQ(s.ended_ms, 30 * kHour);
  // A new commitment starts afresh.
  s = request_commitment(s, true, 40 * kHour);
  EXPECT_EQ(s.commitment, commitment_status::enabled);
  EXPECT_EQ(s.started_ms, 40 * kHour);
  EXPECT_FALSE(s.ended_ms);
}

TEST(AccountSettings, UpdatesPersistPerAccountAndRegion) {
  auto store = storage::make_memory_store();
  ASSERT_TRUE(update_commitment(*store, kScope, true, 5).ok());
  auto same = load_account_settings(*store, kScope, 6);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->commitment, commitment_status::enabled);
  EXPECT_EQ(same->started_ms, 5);
  auto other_region = load_account_settings(*store, {"000000000000", "eu-west-1"}, 6);
  ASSERT_TRUE(other_region.ok());
  EXPECT_EQ(other_region->commitment, commitment_status::disabled);
  auto other_account = load_account_settings(*store, {"111122223333", "us-east-1"}, 6);
  ASSERT_TRUE(other_account.ok());
  EXPECT_EQ(other_account->commitment, commitment_status::disabled);
}

TEST(AccountSettings, EncodingRoundTrips) {
  account_settings s = request_commitment(request_commitment({}, true, 7), false, 9);
  const auto back = decode_account_settings(encode_account_settings(s));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->commitment, s.commitment);
  EXPECT_EQ(back->started_ms, s.started_ms);
  EXPECT_EQ(back->ended_ms, s.ended_ms);
  EXPECT_EQ(back->earliest_end_ms, s.earliest_end_ms);
  EXPECT_FALSE(decode_account_settings("not json"));
}

}  // namespace
}  // namespace eddy::core
