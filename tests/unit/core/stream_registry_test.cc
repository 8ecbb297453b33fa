#include "eddy/core/stream_registry.h"

#include <gtest/gtest.h>

#include "eddy/core/reshard.h"
#include "eddy/core/stream_codec.h"

namespace eddy::core {
namespace {

const stream_scope kScope{"000000000000", "us-east-1"};

// Runs scheduled transitions when the test says so, so no test waits on a clock.
struct manual_scheduler {
  std::vector<std::function<void()>> pending;
  scheduler fn() {
    return [this](std::chrono::milliseconds, std::function<void()> f) { pending.push_back(std::move(f)); };
  }
  void run_all() {
    auto p = std::move(pending);
    for (auto& f : p) f();
  }
};

create_stream_spec spec(std::string name, int64_t shards) {
  create_stream_spec s;
  s.name = std::move(name);
  s.shard_count = shards;
  return s;
}

TEST(StreamRegistry, CreatesActiveStreamWithEvenShards) {
  auto store = storage::make_memory_store();
  manual_scheduler sched;
  stream_registry reg(*store, {}, sched.fn());
  ASSERT_TRUE(reg.create_stream(kScope, spec("s", 3)).ok());
  auto s = reg.get(kScope, "s");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ((*s)->status, stream_status::active);
  ASSERT_EQ((*s)->shards.size(), 3u);
  EXPECT_EQ((*s)->shards[2].range.end, u128_max);
  EXPECT_EQ((*s)->arn(), "arn:aws:kinesis:us-east-1:000000000000:stream/s");
}

TEST(StreamRegistry, DuplicateNameIsResourceInUse) {
  auto store = storage::make_memory_store();
  manual_scheduler sched;
  stream_registry reg(*store, {}, sched.fn());
  ASSERT_TRUE(reg.create_stream(kScope, spec("s", 1)).ok());
  auto again = reg.create_stream(kScope, spec("s", 1));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, errc::resource_in_use);
  EXPECT_EQ(again.error().message, "Stream s under account 000000000000 already exists.");
}

TEST(StreamRegistry, ScopesAreIsolated) {
  auto store = storage::make_memory_store();
  manual_scheduler sched;
  stream_registry reg(*store, {}, sched.fn());
  ASSERT_TRUE(reg.create_stream(kScope, spec("s", 1)).ok());
  EXPECT_TRUE(reg.create_stream({"111122223333", "us-east-1"}, spec("s", 1)).ok());
  EXPECT_TRUE(reg.create_stream({"000000000000", "eu-west-1"}, spec("s", 1)).ok());
  EXPECT_EQ(reg.list(kScope).size(), 1u);
  EXPECT_FALSE(reg.get({"111122223333", "eu-west-1"}, "s").ok());
}

TEST(StreamRegistry, ShardLimitCountsOpenShardsOfTheAccount) {
  auto store = storage::make_memory_store();
  manual_scheduler sched;
  registry_options opts;
  opts.shard_limit = 5;
  stream_registry reg(*store, opts, sched.fn());
  ASSERT_TRUE(reg.create_stream(kScope, spec("a", 3)).ok());
  auto r = reg.create_stream(kScope, spec("b", 3));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, errc::limit_exceeded);
  EXPECT_NE(r.error().message.find("Current shard count for the account: 3. Limit: 5."), std::string::npos);
  EXPECT_TRUE(reg.create_stream(kScope, spec("b", 2)).ok());
  EXPECT_EQ(reg.limits(kScope).open_shard_count, 5);
}

TEST(StreamRegistry, DelayedTransitionsRunFromTheScheduler) {
  auto store = storage::make_memory_store();
  manual_scheduler sched;
  registry_options opts;
  opts.create_delay = std::chrono::milliseconds(500);
  opts.delete_delay = std::chrono::milliseconds(500);
  stream_registry reg(*store, opts, sched.fn());
  ASSERT_TRUE(reg.create_stream(kScope, spec("s", 1)).ok());
  EXPECT_EQ(reg.get(kScope, "s").value()->status, stream_status::creating);
  sched.run_all();
  EXPECT_EQ(reg.get(kScope, "s").value()->status, stream_status::active);
  ASSERT_TRUE(reg.delete_stream(kScope, "s", false).ok());
  EXPECT_EQ(reg.get(kScope, "s").value()->status, stream_status::deleting);
  EXPECT_EQ(reg.create_stream(kScope, spec("s", 1)).error().code, errc::resource_in_use);
  sched.run_all();
  EXPECT_EQ(reg.get(kScope, "s").error().code, errc::resource_not_found);
}

TEST(StreamRegistry, ReloadKeepsEveryStreamAndFinishesInterruptedTransitions) {
  auto store = storage::make_memory_store();
  manual_scheduler sched;
  registry_options opts;
  opts.create_delay = std::chrono::milliseconds(500);
  std::shared_ptr<const stream_meta> before;
  {
    stream_registry reg(*store, opts, sched.fn());
    auto with_tags = spec("tagged", 4);
    with_tags.tags = {{"team", "data"}, {"env", ""}};
    ASSERT_TRUE(reg.create_stream(kScope, with_tags).ok());
    ASSERT_TRUE(reg.create_stream({"111122223333", "ap-south-1"}, spec("other", 2)).ok());
    before = *reg.get(kScope, "tagged");
    EXPECT_NE(before->uid, 0u);
  }
  stream_registry again(*store, opts, sched.fn());
  ASSERT_TRUE(again.load().ok());
  auto after = again.get(kScope, "tagged");
  ASSERT_TRUE(after.ok());
  const stream_meta& a = **after;
  EXPECT_EQ(a.status, stream_status::active);  // CREATING finished on load
  EXPECT_EQ(a.tags, before->tags);
  EXPECT_EQ(a.uid, before->uid);
  EXPECT_EQ(a.seq_salt, before->seq_salt);
  EXPECT_EQ(a.created_ms, before->created_ms);
  ASSERT_EQ(a.shards.size(), 4u);
  for (size_t i = 0; i < 4; ++i) EXPECT_EQ(a.shards[i].range, before->shards[i].range);
  EXPECT_TRUE(again.get({"111122223333", "ap-south-1"}, "other").ok());
}

TEST(StreamCodec, RoundTripsLineage) {
  stream_meta s;
  s.scope = kScope;
  s.name = "x";
  s.status = stream_status::active;
  shard_meta child{shard_index{2}, {5, u128_max}, shard_index{0}, shard_index{1}, 10, std::nullopt};
  shard_meta closed{shard_index{0}, {0, 4}, std::nullopt, std::nullopt, 1, 9};
  s.shards = {closed, child};
  auto back = decode_stream(kScope, encode_stream(s));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->shards[1].parent, shard_index{0});
  EXPECT_EQ(back->shards[1].adjacent_parent, shard_index{1});
  EXPECT_EQ(back->shards[1].range.end, u128_max);
  EXPECT_EQ(back->shards[0].closed_ms, 9);
  EXPECT_FALSE(decode_stream(kScope, "{not json").has_value());
}

// A delayed reshard holds its shards against the account limit while UPDATING, and lands after a restart.
TEST(StreamRegistry, PendingReshardReservesItsShardsAndSurvivesARestart) {
  auto store = storage::make_memory_store();
  manual_scheduler sched;
  registry_options opts;
  opts.update_delay = std::chrono::milliseconds(300);
  opts.shard_limit = 3;
  {
    stream_registry reg(*store, opts, sched.fn());
    ASSERT_TRUE(reg.create_stream(kScope, spec("a", 2)).ok());
    ASSERT_TRUE(reg.update_stream(
                       kScope, "a",
                       [](stream_meta& m, const account_limits& acct) {
                         return split_shard(m, shard_index{0}, u128{1} << 100, 7, acct);
                       },
                       true)
                    .ok());
    EXPECT_EQ((*reg.get(kScope, "a"))->status, stream_status::updating);
    EXPECT_EQ((*reg.get(kScope, "a"))->shards.size(), 2u);  // children appear when it lands
    EXPECT_EQ(reg.limits(kScope).open_shard_count, 3);
    auto refused = reg.create_stream(kScope, spec("b", 1));
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, errc::limit_exceeded);
  }
  // The process stops before the timer fires; the next one lands the split on load.
  stream_registry reg(*store, opts, sched.fn());
  ASSERT_TRUE(reg.load().ok());
  auto a = *reg.get(kScope, "a");
  EXPECT_EQ(a->status, stream_status::active);
  ASSERT_EQ(a->shards.size(), 4u);
  EXPECT_FALSE(a->shards[0].open());
  EXPECT_EQ(a->shards[3].parent, shard_index{0});
  EXPECT_TRUE(a->pending.empty());
}

TEST(StreamRegistry, PendingReshardLandsWhenItsTimerFires) {
  auto store = storage::make_memory_store();
  manual_scheduler sched;
  registry_options opts;
  opts.update_delay = std::chrono::milliseconds(300);
  opts.shard_limit = 3;
  stream_registry reg(*store, opts, sched.fn());
  std::vector<uint32_t> sealed;
  reg.on_shard_closed([&](uint64_t, shard_index ix) { sealed.push_back(ix.get()); });
  ASSERT_TRUE(reg.create_stream(kScope, spec("a", 2)).ok());
  ASSERT_TRUE(reg.update_stream(
                     kScope, "a",
                     [](stream_meta& m, const account_limits& acct) {
                       return split_shard(m, shard_index{1}, u128_max - 5, 7, acct);
                     },
                     true)
                  .ok());
  EXPECT_TRUE(sealed.empty());
  sched.run_all();  // the split re-checks the limit without counting its own reservation twice
  auto a = *reg.get(kScope, "a");
  EXPECT_EQ(a->status, stream_status::active);
  EXPECT_EQ(a->open_shard_count(), 3u);
  EXPECT_EQ(sealed, std::vector<uint32_t>{1});
  EXPECT_EQ(reg.limits(kScope).open_shard_count, 3);
}

}  // namespace
}  // namespace eddy::core
