// Storage's metrics: commit and sync timings, chunk sizes, the engine's own figures, shard size
// estimates.
#include <gtest/gtest.h>

#include <filesystem>

#include "eddy/storage/chunk_codec.h"
#include "eddy/storage/log_store.h"
#include "testlib/metric_lookup.h"

namespace eddy::storage {
namespace {

using testlib::value;

// Param: sync_mode::always on RocksDB (true) or the memory store (false).
class StorageProbeTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("eddy-probe-test-" + std::to_string(::getpid()) + "-" + std::to_string(GetParam()));
    std::filesystem::remove_all(dir_);
    if (GetParam()) {
      auto s = open_rocksdb_store(dir_.string(), sync_mode::always);
      ASSERT_TRUE(s.ok());
      store_ = std::move(s).value();
    } else {
      store_ = make_memory_store();
    }
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Appends `n` records of `bytes` bytes each as one chunk at `first`; returns the chunk's size.
  size_t append(shard_key k, uint64_t first, int n, size_t bytes) {
    chunk_writer w(1000, 0);
    const std::string data(bytes, 'x');
    for (int i = 0; i < n; ++i) w.add("key", data);
    const std::string chunk = w.finish();
    EXPECT_TRUE(
        store_->append(k, first, 1000, chunk, {first + static_cast<uint64_t>(n), 1000}).ok());
    return chunk.size();
  }

  std::filesystem::path dir_;
  std::unique_ptr<log_store> store_;
};

TEST_P(StorageProbeTest, AppendsAreTimedAndSizedPerChunk) {
  const size_t a = append({1, 0}, 1, 3, 100);
  const size_t b = append({1, 0}, 4, 5, 10);
  ASSERT_TRUE(store_->meta_put("k", "v").ok());  // metadata is always synced
  const auto f = store_->probe()->Collect();

  const auto* records = testlib::find_metric(f, "eddy_storage_write_batch_records", {});
  ASSERT_NE(records, nullptr);
  EXPECT_EQ(records->histogram.sample_count, 2u);
  EXPECT_EQ(records->histogram.sample_sum, 8.0);
  const auto* bytes = testlib::find_metric(f, "eddy_storage_write_batch_bytes", {});
  ASSERT_NE(bytes, nullptr);
  EXPECT_EQ(bytes->histogram.sample_sum, static_cast<double>(a + b));

  // The memory store never syncs appends (sync_mode::none); RocksDB here syncs everything.
  const double synced_appends = GetParam() ? 2 : 0;
  EXPECT_EQ(value(f, "eddy_storage_write_duration_seconds", {{"sync", "true"}}),
            synced_appends + 1);
  EXPECT_EQ(value(f, "eddy_storage_write_duration_seconds", {{"sync", "false"}}),
            2 - synced_appends);
}

TEST_P(StorageProbeTest, WalSyncsAreTimedFromInsideRocksDb) {
  append({1, 0}, 1, 1, 10);
  append({1, 0}, 2, 1, 10);
  const auto synced = value(store_->probe()->Collect(), "eddy_storage_sync_duration_seconds");
  ASSERT_TRUE(synced.has_value());
  if (GetParam()) {
    EXPECT_GE(*synced, 2.0) << "each synced append fsyncs the WAL";
  } else {
    EXPECT_EQ(*synced, 0.0) << "memory has no WAL";
  }
}

TEST_P(StorageProbeTest, EngineFiguresArePerColumnFamilyOnRocksDbAndAbsentInMemory) {
  append({1, 0}, 1, 10, 1000);
  const auto f = store_->probe()->Collect();
  if (!GetParam()) {
    EXPECT_EQ(testlib::find_family(f, "eddy_rocksdb_size_all_mem_tables_bytes"), nullptr);
    return;
  }
  for (const char* cf : {"meta", "log", "time"}) {
    EXPECT_TRUE(
        value(f, "eddy_rocksdb_estimate_live_data_size_bytes", {{"column_family", cf}}).has_value())
        << cf;
    EXPECT_TRUE(value(f, "eddy_rocksdb_level0_files", {{"column_family", cf}}).has_value()) << cf;
  }
  EXPECT_GT(value(f, "eddy_rocksdb_size_all_mem_tables_bytes", {{"column_family", "log"}}).value(),
            10000.0)
      << "10 KB of records sit in the log memtable";
  EXPECT_EQ(value(f, "eddy_rocksdb_running_compactions"), 0.0);
  EXPECT_EQ(value(f, "eddy_rocksdb_background_errors_total"), 0.0);
  EXPECT_EQ(testlib::find_family(f, "eddy_rocksdb_background_errors_total")->type,
            prometheus::MetricType::Counter);
}

TEST_P(StorageProbeTest, ApproximateBytesCoverOneShardOnly) {
  const size_t chunk = append({1, 0}, 1, 20, 500);
  append({1, 1}, 1, 20, 5000);
  append({2, 0}, 1, 20, 50000);
  const auto bytes = store_->approximate_bytes({1, 0});
  ASSERT_TRUE(bytes.ok());
  // Both engines count memtable (and map) entries exactly: the chunk and its 20-byte key.
  EXPECT_EQ(*bytes, chunk + 20);
  EXPECT_EQ(store_->approximate_bytes({3, 0}).value(), 0u);
}

TEST(StorageProbe, ScrapeAfterTheStoreClosedReadsNoEngine) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("eddy-probe-closed-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  auto store = open_rocksdb_store(dir.string()).value();
  auto probe = store->probe();
  EXPECT_NE(testlib::find_family(probe->Collect(), "eddy_rocksdb_running_flushes"), nullptr);
  store.reset();
  const auto f = probe->Collect();  // must not touch the closed database
  EXPECT_EQ(testlib::find_family(f, "eddy_rocksdb_running_flushes"), nullptr);
  EXPECT_NE(testlib::find_family(f, "eddy_storage_write_duration_seconds"), nullptr);
  std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Engines, StorageProbeTest, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "RocksDb" : "Memory"; });

}  // namespace
}  // namespace eddy::storage
