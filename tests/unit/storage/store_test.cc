#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "eddy/storage/log_store.h"

namespace eddy::storage {
namespace {

class StoreTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("eddy-store-test-" + std::to_string(::getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<log_store> open() {
    if (!GetParam()) return make_memory_store();
    auto s = open_rocksdb_store(dir_.string());
    EXPECT_TRUE(s.ok());
    return std::move(s).value();
  }

  std::filesystem::path dir_;
};

TEST_P(StoreTest, ScansByPrefixInKeyOrder) {
  auto s = open();
  ASSERT_TRUE(s->meta_put("stream/b", "2").ok());
  ASSERT_TRUE(s->meta_put("stream/a", "1").ok());
  ASSERT_TRUE(s->meta_put("streamz", "x").ok());
  ASSERT_TRUE(s->meta_put("other/a", "y").ok());
  auto rows = s->meta_scan("stream/");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0], (key_value{"stream/a", "1"}));
  EXPECT_EQ((*rows)[1], (key_value{"stream/b", "2"}));
}

TEST_P(StoreTest, EraseRemovesAndOverwriteReplaces) {
  auto s = open();
  ASSERT_TRUE(s->meta_put("k", "1").ok());
  ASSERT_TRUE(s->meta_put("k", "2").ok());
  ASSERT_TRUE(s->meta_put("j", "3").ok());
  ASSERT_TRUE(s->meta_erase("j").ok());
  auto rows = s->meta_scan("");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].second, "2");
}

TEST(RocksdbStore, KeepsMetadataAcrossReopen) {
  const auto dir = std::filesystem::temp_directory_path() / ("eddy-reopen-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  {
    auto s = open_rocksdb_store(dir.string());
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE((*s)->meta_put("stream/x", "payload").ok());
  }
  {
    auto s = open_rocksdb_store(dir.string());
    ASSERT_TRUE(s.ok());
    auto rows = (*s)->meta_scan("stream/");
    ASSERT_TRUE(rows.ok());
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ((*rows)[0].second, "payload");
  }
  std::filesystem::remove_all(dir);
}

TEST(RocksdbStore, SecondOpenOfALockedDirectoryFails) {
  const auto dir = std::filesystem::temp_directory_path() / ("eddy-lock-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  auto first = open_rocksdb_store(dir.string());
  ASSERT_TRUE(first.ok());
  auto second = open_rocksdb_store(dir.string());
  EXPECT_FALSE(second.ok());
  std::filesystem::remove_all(dir);
}

// The newest write-ahead log: NNNNNN.log, the highest number ("LOG" is RocksDB's info log).
std::filesystem::path newest_wal(const std::filesystem::path& dir) {
  std::filesystem::path newest;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() == ".log" && (newest.empty() || e.path().filename() > newest.filename())) newest = e.path();
  }
  return newest;
}

// A power loss or crash can cut the newest WAL inside a record that was never fsync'd. The store must open
// from such a torn tail, keeping every record before the cut (each was synced, as --sync=always makes every
// acknowledged one) and dropping the torn one whole. RocksDB's kAbsoluteConsistency would refuse to open.
TEST(RocksdbStore, TornWalTailReopens) {
  const auto base = std::filesystem::temp_directory_path() / ("eddy-torn-" + std::to_string(::getpid()));
  const auto dir = base / "db";
  std::filesystem::remove_all(base);
  uintmax_t synced = 0, written = 0;
  {
    auto s = open_rocksdb_store(dir.string());
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE((*s)->meta_put("stream/a", "kept").ok());
    synced = std::filesystem::file_size(newest_wal(dir));
    ASSERT_TRUE((*s)->meta_put("stream/b", std::string(300, 'b')).ok());
    written = std::filesystem::file_size(newest_wal(dir));
  }  // closed without a flush: both records live only in the WAL
  ASSERT_GT(synced, 0u);
  ASSERT_GT(written, synced + 300);
  // Cut inside the second record's header, inside its payload, and one byte short of its end.
  for (uintmax_t cut : {synced + 3, synced + 150, written - 1}) {
    SCOPED_TRACE("WAL cut at byte " + std::to_string(cut) + " of " + std::to_string(written));
    const auto copy = base / ("cut-" + std::to_string(cut));
    std::filesystem::copy(dir, copy, std::filesystem::copy_options::recursive);
    const auto wal = newest_wal(copy);
    ASSERT_EQ(std::filesystem::file_size(wal), written) << wal;
    std::filesystem::resize_file(wal, cut);
    {
      auto s = open_rocksdb_store(copy.string());
      ASSERT_TRUE(s.ok()) << s.error().detail;
      auto rows = (*s)->meta_scan("stream/");
      ASSERT_TRUE(rows.ok());
      ASSERT_EQ(rows->size(), 1u);
      EXPECT_EQ((*rows)[0], (key_value{"stream/a", "kept"}));
      ASSERT_TRUE((*s)->meta_put("stream/c", "after").ok());
    }
    // And it goes on working: a write after the recovery survives the next reopen.
    auto again = open_rocksdb_store(copy.string());
    ASSERT_TRUE(again.ok()) << again.error().detail;
    auto rows = (*again)->meta_scan("stream/");
    ASSERT_TRUE(rows.ok());
    ASSERT_EQ(rows->size(), 2u);
    EXPECT_EQ((*rows)[1], (key_value{"stream/c", "after"}));
  }
  std::filesystem::remove_all(base);
}

INSTANTIATE_TEST_SUITE_P(Stores, StoreTest, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "Rocksdb" : "Memory"; });

}  // namespace
}  // namespace eddy::storage
