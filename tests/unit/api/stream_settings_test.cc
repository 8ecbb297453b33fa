#include "ops/control/stream_settings.h"

#include <gtest/gtest.h>

namespace eddy::api::ops {
namespace {

using codec::document;
using names = std::vector<std::string>;

const names kAll = {"IncomingBytes",
                    "OutgoingRecords",
                    "IteratorAgeMilliseconds",
                    "IncomingRecords",
                    "ReadProvisionedThroughputExceeded",
                    "WriteProvisionedThroughputExceeded",
                    "OutgoingBytes"};

TEST(ShardLevelMetrics, AllExpandsToEveryMetricInAwsOrder) {
  EXPECT_EQ(metrics_of(document::array({"IncomingBytes", "ALL"})), kAll);
  EXPECT_EQ(metrics_of(document::array({"OutgoingBytes", "IncomingBytes"})),
            (names{"IncomingBytes", "OutgoingBytes"}));
}

TEST(ShardLevelMetrics, EnableAddsAndDisableRemoves) {
  const names some = {"IncomingBytes", "OutgoingBytes"};
  EXPECT_EQ(merge_metrics({}, some, true), some);
  EXPECT_EQ(merge_metrics(some, {"IncomingRecords", "IncomingBytes"}, true),
            (names{"IncomingBytes", "IncomingRecords", "OutgoingBytes"}));
  EXPECT_EQ(merge_metrics(some, {"IncomingBytes", "IteratorAgeMilliseconds"}, false),
            (names{"OutgoingBytes"}));
  EXPECT_EQ(merge_metrics(kAll, kAll, false), names{});
}

TEST(Retention, BoundsAreAwsTexts) {
  EXPECT_TRUE(check_retention_bounds(24).ok());
  EXPECT_TRUE(check_retention_bounds(8760).ok());
  auto low = check_retention_bounds(23);
  ASSERT_FALSE(low.ok());
  EXPECT_EQ(low.error().code, core::errc::invalid_argument);
  EXPECT_EQ(low.error().message,
            "Minimum allowed retention period is 24 hours. Requested retention period (23 hours) "
            "is too short.");
  auto high = check_retention_bounds(8761);
  ASSERT_FALSE(high.ok());
  EXPECT_EQ(high.error().message,
            "Maximum allowed retention period is 8760 hours. Requested retention period (8761 "
            "hours) is too long.");
}

TEST(WarmThroughput, NeedsOnDemandTheCommitmentAndAtMost10GiBps) {
  core::stream_meta s;
  s.scope = {"000000000000", "us-east-1"};
  s.name = "w";
  core::account_settings on;
  on.commitment = core::commitment_status::enabled;
  EXPECT_TRUE(check_warm_throughput(s, core::stream_mode::on_demand, 10240, on).ok());
  auto provisioned = check_warm_throughput(s, core::stream_mode::provisioned, 10, on);
  ASSERT_FALSE(provisioned.ok());
  EXPECT_EQ(provisioned.error().code, core::errc::invalid_argument);
  auto no_commitment =
      check_warm_throughput(s, core::stream_mode::on_demand, 10, core::account_settings{});
  ASSERT_FALSE(no_commitment.ok());
  EXPECT_EQ(no_commitment.error().code, core::errc::invalid_argument);
  auto too_much = check_warm_throughput(s, core::stream_mode::on_demand, 10241, on);
  ASSERT_FALSE(too_much.ok());
  EXPECT_EQ(too_much.error().code, core::errc::limit_exceeded);
}

}  // namespace
}  // namespace eddy::api::ops
