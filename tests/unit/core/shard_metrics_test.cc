// Per-shard metrics: what the actors count, read at scrape time for the shards the registry lists.
#include "eddy/core/shard_metrics.h"

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <future>
#include <thread>

#include "testlib/metric_lookup.h"

namespace eddy::core {
namespace {

using testlib::value;

const stream_scope kScope{"000000000000", "us-east-1"};

class ShardMetricsTest : public ::testing::Test {
 protected:
  ShardMetricsTest()
      : store_(storage::make_memory_store()),
        registry_(*store_, {}, [](auto, auto) {}),
        work_(boost::asio::make_work_guard(ioc_)),
        dir_(ioc_.get_executor(), ioc_.get_executor(), *store_),
        metrics_(registry_, dir_) {
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~ShardMetricsTest() override {
    work_.reset();
    thread_.join();
  }

  void create(const std::string& name, int shards, stream_scope scope = kScope) {
    create_stream_spec spec;
    spec.name = name;
    spec.shard_count = shards;
    ASSERT_TRUE(registry_.create_stream(scope, spec).ok());
  }

  std::shared_ptr<shard_actor> actor(const std::string& name, uint32_t shard,
                                     stream_scope scope = kScope) {
    return dir_.actor(registry_.get(scope, name).value()->uid, shard_index{shard}).value();
  }

  void append(shard_actor& a, int n, const std::string& data) {
    std::vector<append_record> recs;
    for (int i = 0; i < n; ++i)
      recs.push_back({"pk", std::vector<uint8_t>(data.begin(), data.end())});
    std::promise<bool> done;
    a.append(std::move(recs), [&done](storage::result<append_ack> r) { done.set_value(r.ok()); });
    ASSERT_TRUE(done.get_future().get());
  }

  static testlib::label_set labels(const std::string& stream, const std::string& shard,
                                   const stream_scope& scope = kScope) {
    return {
        {"account", scope.account}, {"region", scope.region}, {"stream", stream}, {"shard", shard}};
  }

  std::unique_ptr<storage::log_store> store_;
  stream_registry registry_;
  boost::asio::io_context ioc_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  shard_directory dir_;
  shard_metrics metrics_;
  std::thread thread_;
};

struct noop_listener final : append_listener {
  void appended() override {}
};

TEST_F(ShardMetricsTest, EveryShardOfEveryStreamHasSeriesFromTheStart) {
  create("a", 2);
  create("b", 1);
  const auto f = metrics_.Collect();
  for (const auto& [stream, shard] : {std::pair{"a", "shardId-000000000000"},
                                      {"a", "shardId-000000000001"},
                                      {"b", "shardId-000000000000"}}) {
    for (const char* name : {"eddy_shard_incoming_records_total", "eddy_shard_incoming_bytes_total",
                             "eddy_shard_outgoing_records_total", "eddy_shard_outgoing_bytes_total",
                             "eddy_shard_iterator_age_seconds", "eddy_shard_throttled_total",
                             "eddy_shard_subscribers", "eddy_shard_stored_bytes"}) {
      EXPECT_EQ(value(f, name, labels(stream, shard)), 0.0)
          << name << " " << stream << " " << shard;
    }
  }
  EXPECT_EQ(testlib::find_family(f, "eddy_shard_stored_bytes")->metric.size(), 3u);
}

TEST_F(ShardMetricsTest, CountsAppendsReadsSubscribersThrottlesAndStoredBytes) {
  create("s", 2);
  auto a = actor("s", 1);
  append(*a, 3, "0123456789");  // 3 records of 10 data + 2 key bytes
  append(*a, 2, "01234");

  a->probe().read(4, 48, 1500);
  a->probe().read(1, 7, 250);
  a->probe().throttle();
  noop_listener l1, l2;
  a->add_listener(&l1);
  a->add_listener(&l2);

  auto f = metrics_.Collect();
  const auto one = labels("s", "shardId-000000000001");
  EXPECT_EQ(value(f, "eddy_shard_incoming_records_total", one), 5.0);
  EXPECT_EQ(value(f, "eddy_shard_incoming_bytes_total", one), 3.0 * 12 + 2 * 7);
  EXPECT_EQ(value(f, "eddy_shard_outgoing_records_total", one), 5.0);
  EXPECT_EQ(value(f, "eddy_shard_outgoing_bytes_total", one), 55.0);
  EXPECT_EQ(value(f, "eddy_shard_iterator_age_seconds", one), 0.25) << "the last read's lag";
  EXPECT_EQ(value(f, "eddy_shard_throttled_total", one), 1.0);
  EXPECT_EQ(value(f, "eddy_shard_subscribers", one), 2.0);
  EXPECT_GT(value(f, "eddy_shard_stored_bytes", one).value(), 3.0 * 12 + 2 * 7);
  EXPECT_EQ(value(f, "eddy_shard_incoming_records_total", labels("s", "shardId-000000000000")),
            0.0);
  EXPECT_EQ(value(f, "eddy_shard_stored_bytes", labels("s", "shardId-000000000000")), 0.0);

  a->remove_listener(&l1);
  a->remove_listener(&l2);
  f = metrics_.Collect();
  EXPECT_EQ(value(f, "eddy_shard_subscribers", one), 0.0);
}

TEST_F(ShardMetricsTest, SameNameInTwoAccountsIsTwoSeries) {
  const stream_scope other{"111111111111", "eu-west-1"};
  create("s", 1);
  create("s", 1, other);
  append(*actor("s", 0, other), 4, "x");
  const auto f = metrics_.Collect();
  EXPECT_EQ(value(f, "eddy_shard_incoming_records_total", labels("s", "shardId-000000000000")),
            0.0);
  EXPECT_EQ(
      value(f, "eddy_shard_incoming_records_total", labels("s", "shardId-000000000000", other)),
      4.0);
}

TEST_F(ShardMetricsTest, DeletedStreamsSeriesVanish) {
  create("gone", 2);
  create("kept", 1);
  append(*actor("gone", 0), 1, "x");
  ASSERT_TRUE(registry_.delete_stream(kScope, "gone", false).ok());
  const auto f = metrics_.Collect();
  for (const auto* fam : {testlib::find_family(f, "eddy_shard_incoming_records_total"),
                          testlib::find_family(f, "eddy_shard_stored_bytes")}) {
    ASSERT_NE(fam, nullptr);
    ASSERT_EQ(fam->metric.size(), 1u);
    for (const auto& l : fam->metric[0].label) {
      if (l.name == "stream") {
        EXPECT_EQ(l.value, "kept");
      }
    }
  }
}

}  // namespace
}  // namespace eddy::core
