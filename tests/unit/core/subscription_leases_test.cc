// AWS's one-subscription rule: refused within 5 s of the holder's start, taken over after.
#include "eddy/core/subscription_leases.h"

#include <prometheus/text_serializer.h>

#include "eddy/core/consumer_metrics.h"

#include <gtest/gtest.h>

namespace eddy::core {
namespace {

struct holder : lease_holder {
  void taken_over() override { ++taken; }
  int taken = 0;
};

TEST(SubscriptionLeases, RefusedWithinFiveSecondsTakenOverAfter) {
  subscription_leases leases;
  auto first = std::make_shared<holder>();
  auto second = std::make_shared<holder>();
  ASSERT_TRUE(leases.acquire("c/shard-0", 1000, first));
  EXPECT_FALSE(leases.acquire("c/shard-0", 1000 + 4999, second));
  EXPECT_EQ(first->taken, 0);
  EXPECT_TRUE(leases.acquire("c/shard-1", 1001, second));  // another shard is another lease
  EXPECT_TRUE(leases.acquire("c/shard-0", 1000 + 5000, second));
  EXPECT_EQ(first->taken, 1);
  // The old holder giving back a lease it no longer has changes nothing.
  leases.release("c/shard-0", first.get());
  EXPECT_FALSE(leases.acquire("c/shard-0", 6001, first));
}

TEST(SubscriptionLeases, AReleasedOrDestroyedHolderFreesTheLeaseAtOnce) {
  subscription_leases leases;
  auto a = std::make_shared<holder>();
  ASSERT_TRUE(leases.acquire("k", 0, a));
  leases.release("k", a.get());
  EXPECT_EQ(leases.active(), 0u);
  auto b = std::make_shared<holder>();
  ASSERT_TRUE(leases.acquire("k", 1, b));
  b.reset();  // a subscription that died without releasing
  auto c = std::make_shared<holder>();
  EXPECT_TRUE(leases.acquire("k", 2, c));
}

struct sampled_holder : lease_holder {
  explicit sampled_holder(subscription_sample s) : s_(std::move(s)) {}
  void taken_over() override {}
  std::optional<subscription_sample> sample() const override { return s_; }
  subscription_sample s_;
};

TEST(ConsumerMetrics, OneIteratorAgeSeriesPerLiveSubscription) {
  auto leases = std::make_shared<subscription_leases>();
  auto a = std::make_shared<sampled_holder>(subscription_sample{"111111111111", "eu-west-1", "orders", "billing",
                                                                "shardId-000000000001", 2500});
  auto b = std::make_shared<sampled_holder>(subscription_sample{"111111111111", "eu-west-1", "orders", "audit",
                                                                "shardId-000000000001", 0});
  auto quiet = std::make_shared<holder>();  // a holder with nothing to show adds no series
  ASSERT_TRUE(leases->acquire("billing/1", 0, a));
  ASSERT_TRUE(leases->acquire("audit/1", 0, b));
  ASSERT_TRUE(leases->acquire("other", 0, quiet));
  const auto collector = std::make_shared<consumer_metrics>(leases);
  std::string text = prometheus::TextSerializer().Serialize(collector->Collect());
  EXPECT_NE(text.find("eddy_consumer_iterator_age_seconds{account=\"111111111111\",region=\"eu-west-1\",stream=\"orders\","
                      "consumer=\"billing\",shard=\"shardId-000000000001\"} 2.5"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("consumer=\"audit\",shard=\"shardId-000000000001\"} 0"), std::string::npos) << text;
  EXPECT_EQ(collector->Collect().at(0).metric.size(), 2u);

  // A subscription that ends (its lease given back, or the object gone) leaves no series behind.
  leases->release("billing/1", a.get());
  b.reset();
  EXPECT_TRUE(collector->Collect().at(0).metric.empty());
}

}  // namespace
}  // namespace eddy::core
