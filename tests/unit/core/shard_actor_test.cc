// The shard actor's group commit, reads through the directory, and retention with a fake clock.
#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <future>
#include <mutex>
#include <thread>

#include "eddy/base/clock.h"
#include "eddy/core/ondemand_scaler.h"
#include "eddy/core/retention_worker.h"
#include "eddy/core/shard_directory.h"
#include "eddy/core/stream_registry.h"

namespace eddy::core {
namespace {

std::vector<append_record> records_of(const std::string& tag, int n) {
  std::vector<append_record> out;
  for (int i = 0; i < n; ++i) {
    const std::string d = tag + "-" + std::to_string(i);
    out.push_back({tag, std::vector<uint8_t>(d.begin(), d.end())});
  }
  return out;
}

class ShardActorTest : public ::testing::Test {
 protected:
  ShardActorTest()
      : store_(storage::make_memory_store()),
        work_(boost::asio::make_work_guard(ioc_)),
        dir_(ioc_.get_executor(), ioc_.get_executor(), *store_) {
    for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { ioc_.run(); });
  }
  ~ShardActorTest() override {
    work_.reset();
    for (auto& t : threads_) t.join();
  }

  append_ack append(shard_actor& a, std::vector<append_record> recs) {
    std::promise<storage::result<append_ack>> p;
    a.append(std::move(recs), [&p](storage::result<append_ack> r) { p.set_value(std::move(r)); });
    auto r = p.get_future().get();
    EXPECT_TRUE(r.ok());
    return *r;
  }

  static std::vector<append_record> records(const std::string& tag, int n) { return records_of(tag, n); }

  std::unique_ptr<storage::log_store> store_;
  boost::asio::io_context ioc_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  shard_directory dir_;
  std::vector<std::thread> threads_;
};

TEST_F(ShardActorTest, FirstRecordTakesPositionOneAndTailsRise) {
  auto a = dir_.actor(9, shard_index{0}).value();
  EXPECT_EQ(a->next_position(), 1u);
  EXPECT_EQ(append(*a, records("x", 3)).first_position, 1u);
  EXPECT_EQ(append(*a, records("y", 2)).first_position, 4u);
  EXPECT_EQ(a->next_position(), 6u);
}

TEST_F(ShardActorTest, ConcurrentProducersGetContiguousRunsInTheirOwnOrder) {
  auto a = dir_.actor(9, shard_index{1}).value();
  constexpr int kProducers = 8, kRounds = 25, kPerCall = 4;
  std::vector<std::thread> producers;
  std::mutex mu;
  std::map<uint64_t, std::string> first_of_run;  // position -> producer tag
  for (int p = 0; p < kProducers; ++p) {
    producers.emplace_back([&, p] {
      for (int r = 0; r < kRounds; ++r) {
        const std::string tag = "p" + std::to_string(p) + "r" + std::to_string(r);
        const auto ack = append(*a, records(tag, kPerCall));
        std::lock_guard lock(mu);
        first_of_run[ack.first_position] = tag;
      }
    });
  }
  for (auto& t : producers) t.join();
  const uint64_t total = kProducers * kRounds * kPerCall;
  EXPECT_EQ(a->next_position(), 1 + total);
  auto batch = dir_.read(*a, 0, 100000, 64 << 20, 0);
  ASSERT_TRUE(batch.ok());
  ASSERT_EQ(batch->records.size(), total);
  EXPECT_EQ(batch->next_position, 1 + total);
  for (const auto& [first, tag] : first_of_run) {
    for (int i = 0; i < kPerCall; ++i) {
      const auto& rec = batch->records[first - 1 + i];
      EXPECT_EQ(rec.position, first + i);
      EXPECT_EQ(rec.data, tag + "-" + std::to_string(i));
    }
  }
}

TEST_F(ShardActorTest, ReadsHonourLimitBytesAndTheStartPosition) {
  auto a = dir_.actor(9, shard_index{2}).value();
  append(*a, records("a", 10));
  auto limited = dir_.read(*a, 3, 4, 1 << 20, 0).value();
  ASSERT_EQ(limited.records.size(), 4u);
  EXPECT_EQ(limited.records.front().position, 3u);
  EXPECT_EQ(limited.next_position, 7u);
  auto small = dir_.read(*a, 1, 100, 1, 0).value();  // the byte budget still returns one record
  EXPECT_EQ(small.records.size(), 1u);
  auto caught_up = dir_.read(*a, 11, 100, 1 << 20, 0).value();
  EXPECT_TRUE(caught_up.records.empty());
  EXPECT_EQ(caught_up.next_position, 11u);
}

TEST_F(ShardActorTest, RetentionTrimsWithAFakeClock) {
  stream_registry registry(*store_, {}, [](auto, auto) {});
  create_stream_spec spec;
  spec.name = "r";
  spec.shard_count = 1;
  ASSERT_TRUE(registry.create_stream({"000000000000", "us-east-1"}, spec).ok());
  const auto s = registry.get({"000000000000", "us-east-1"}, "r").value();
  auto a = dir_.actor(s->uid, shard_index{0}).value();
  append(*a, records("old", 5));
  int64_t now = now_ms();
  retention_worker worker(registry, dir_, [&now] { return now; });
  auto nothing = worker.sweep().value();
  EXPECT_EQ(nothing.shards_trimmed, 0u);
  EXPECT_EQ(a->trim_position(), 1u);

  now += 25 * 3'600'000;  // a day and an hour later
  auto swept = worker.sweep().value();
  EXPECT_EQ(swept.shards_trimmed, 1u);
  EXPECT_EQ(swept.records_expired, 5u);
  EXPECT_EQ(a->trim_position(), 6u);
  EXPECT_FALSE(store_->first_position(a->key()).value().has_value());
  EXPECT_TRUE(dir_.read(*a, 0, 100, 1 << 20, 0).value().records.empty());
  EXPECT_EQ(append(*a, records("new", 1)).first_position, 6u);  // positions keep rising
}

// A listener sees the new tip already published when it is called, once per committed chunk, and
// never again after removal.
struct tip_recorder : append_listener {
  explicit tip_recorder(const shard_actor& a) : actor(a) {}
  void appended() override {
    std::lock_guard lock(mu);
    tips.push_back(actor.next_position());
  }
  const shard_actor& actor;
  std::mutex mu;
  std::vector<uint64_t> tips;
};

TEST_F(ShardActorTest, ListenersHearEveryCommitWithTheTipAlreadyVisible) {
  auto a = dir_.actor(11, shard_index{0}).value();
  tip_recorder rec(*a);
  a->add_listener(&rec);
  append(*a, records("x", 3));
  append(*a, records("y", 2));
  a->remove_listener(&rec);
  append(*a, records("z", 1));
  std::lock_guard lock(rec.mu);
  EXPECT_EQ(rec.tips, (std::vector<uint64_t>{4, 6}));
}

TEST_F(ShardActorTest, SealingLetsQueuedAppendsCommitThenHandsLaterOnesBack) {
  auto a = dir_.actor(12, shard_index{0}).value();
  tip_recorder rec(*a);
  a->add_listener(&rec);
  std::promise<storage::result<append_ack>> before;
  a->append(records("early", 2), [&](storage::result<append_ack> r) { before.set_value(std::move(r)); });
  a->seal();
  std::vector<append_record> returned;
  std::promise<storage::result<append_ack>> after;
  a->append(records("late", 3), [&](storage::result<append_ack> r) { after.set_value(std::move(r)); }, &returned);
  EXPECT_TRUE(before.get_future().get().ok());
  auto refused = after.get_future().get();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, storage::errc::sealed);
  ASSERT_EQ(returned.size(), 3u);
  EXPECT_EQ(returned[0].partition_key, "late");
  // sealed() follows the queue draining, which the listener hears about; the tail stays where it was.
  while (!a->sealed()) std::this_thread::yield();
  EXPECT_EQ(a->next_position(), 3u);
  a->remove_listener(&rec);
  // After a restart the directory builds a closed shard's actor sealed from the start.
  dir_.forget(12);
  EXPECT_TRUE(dir_.actor(12, shard_index{0}, true).value()->sealed());
}

// While the disk is busy, appends wait in the queue up to --max-shard-queue-bytes; past that they are
// refused (and counted) rather than queued, and what was queued still commits once the disk is free.
TEST(ShardActorQueue, AppendsBeyondTheQueueLimitAreRefusedWhileTheDiskIsBusy) {
  auto store = storage::make_memory_store();
  boost::asio::io_context io;
  boost::asio::io_context disk;  // not run until the end: the first write stays in flight
  auto work = boost::asio::make_work_guard(io);
  std::thread io_thread([&] { io.run(); });
  shard_directory dir(io.get_executor(), disk.get_executor(), *store);
  dir.set_max_queue_bytes(1 << 20);
  auto a = dir.actor(3, shard_index{0}).value();
  auto big = [](const std::string& key) {
    std::vector<append_record> v;
    v.push_back({key, std::vector<uint8_t>(600 * 1024, 'x')});
    return v;
  };
  std::promise<storage::result<append_ack>> writing, queued, refused, small;
  a->append(big("writing"), [&](storage::result<append_ack> r) { writing.set_value(std::move(r)); });
  a->append(big("queued"), [&](storage::result<append_ack> r) { queued.set_value(std::move(r)); });
  a->append(big("refused"), [&](storage::result<append_ack> r) { refused.set_value(std::move(r)); });
  a->append(records_of("small", 1), [&](storage::result<append_ack> r) { small.set_value(std::move(r)); });
  auto no = refused.get_future().get();
  ASSERT_FALSE(no.ok());
  EXPECT_EQ(no.error().code, storage::errc::queue_full);
  EXPECT_EQ(a->probe().throttled.load(), 1u);
  disk.run();  // the disk catches up: the in-flight write finishes, then the queued ones leave together
  while (a->next_position() < 4) {
    disk.restart();
    disk.run();
    std::this_thread::yield();
  }
  EXPECT_EQ(writing.get_future().get()->first_position, 1u);
  EXPECT_EQ(queued.get_future().get()->first_position, 2u);
  EXPECT_EQ(small.get_future().get()->first_position, 3u);
  work.reset();
  io_thread.join();
}

// The on-demand scaler splits only a shard that stays hot for the sustained number of ticks.
TEST_F(ShardActorTest, OnDemandScalerSplitsOnlyASustainedHotShard) {
  stream_registry registry(*store_, {}, [](auto, auto) {});
  create_stream_spec spec;
  spec.name = "od";
  spec.mode = stream_mode::on_demand;
  ASSERT_TRUE(registry.create_stream({"000000000000", "us-east-1"}, spec).ok());
  const auto s = registry.get({"000000000000", "us-east-1"}, "od").value();
  ASSERT_EQ(s->open_shard_count(), 4u);
  auto hot = dir_.actor(s->uid, shard_index{1}).value();
  auto cold = dir_.actor(s->uid, shard_index{2}).value();
  ondemand_scaler scaler(registry, dir_, {.hot_bytes_per_s = 1u << 30, .hot_records_per_s = 500, .sustained_ticks = 3});
  int64_t t = 1'000'000;
  EXPECT_EQ(scaler.tick(t), 0);  // the first sample only sets a baseline
  for (int i = 0; i < 2; ++i) {
    append(*hot, records("h", 600));  // 600 records in one second: hot
    append(*cold, records("c", 100));
    EXPECT_EQ(scaler.tick(t += 1000), 0) << i;
  }
  append(*hot, records("h", 600));
  EXPECT_EQ(scaler.tick(t += 1000), 1);
  const auto after = registry.get({"000000000000", "us-east-1"}, "od").value();
  EXPECT_EQ(after->open_shard_count(), 5u);
  EXPECT_FALSE(after->shard(shard_index{1})->open());
  EXPECT_TRUE(after->shard(shard_index{2})->open());
}

}  // namespace
}  // namespace eddy::core
