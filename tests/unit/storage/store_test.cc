#include <gtest/gtest.h>

#include <filesystem>

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

INSTANTIATE_TEST_SUITE_P(Stores, StoreTest, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "Rocksdb" : "Memory"; });

}  // namespace
}  // namespace eddy::storage
