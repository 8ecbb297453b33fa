// AWS's one-subscription rule: refused within 5 s of the holder's start, taken over after.
#include "eddy/core/subscription_leases.h"

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

}  // namespace
}  // namespace eddy::core
