#include <gtest/gtest.h>

#include <filesystem>

#include "eddy/storage/chunk_codec.h"
#include "eddy/storage/log_store.h"

namespace eddy::storage {
namespace {

TEST(ChunkCodec, RoundTripsKeysAndBinaryData) {
  std::string all_bytes;
  for (int i = 0; i < 256; ++i) all_bytes.push_back(static_cast<char>(i));
  chunk_writer w(1700000000123, 0);
  w.add("key-1", all_bytes);
  w.add("", "");
  w.add("\xF0\x9F\x98\x80", std::string(70000, 'x'));
  const std::string chunk = w.finish();
  const auto header = read_chunk_header(chunk);
  ASSERT_TRUE(header.has_value());
  EXPECT_EQ(header->count, 3u);
  EXPECT_EQ(header->arrival_ms, 1700000000123);
  const auto records = decode_chunk(chunk);
  ASSERT_TRUE(records.has_value());
  ASSERT_EQ(records->size(), 3u);
  EXPECT_EQ((*records)[0].partition_key, "key-1");
  EXPECT_EQ((*records)[0].data, all_bytes);
  EXPECT_EQ((*records)[1].data, "");
  EXPECT_EQ((*records)[2].data.size(), 70000u);
}

TEST(ChunkCodec, RejectsTruncatedAndTrailingBytes) {
  chunk_writer w(1, 0);
  w.add("k", "data");
  const std::string chunk = w.finish();
  EXPECT_FALSE(decode_chunk(chunk.substr(0, chunk.size() - 1)).has_value());
  EXPECT_FALSE(decode_chunk(chunk + "x").has_value());
  EXPECT_FALSE(decode_chunk("").has_value());
  std::string wrong_version = chunk;
  wrong_version[0] = 9;
  EXPECT_FALSE(read_chunk_header(wrong_version).has_value());
}

class LogStoreTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("eddy-log-test-" + std::to_string(::getpid()) + "-" +
            std::to_string(reinterpret_cast<uintptr_t>(this)));
    std::filesystem::remove_all(dir_);
    if (GetParam()) {
      auto s = open_rocksdb_store(dir_.string(), sync_mode::none);
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

  // Appends `n` one-byte records arriving at `arrival`; returns the first position.
  uint64_t append(shard_key k, uint32_t n, int64_t arrival) {
    auto tail = store_->load_tail(k);
    const uint64_t first = tail.value() ? tail.value()->next_position : 1;
    chunk_writer w(arrival, 0);
    for (uint32_t i = 0; i < n; ++i) w.add("k", std::string(1, static_cast<char>('a' + (first + i) % 26)));
    EXPECT_TRUE(store_->append(k, first, arrival, w.finish(), {first + n, arrival}).ok());
    return first;
  }

  std::filesystem::path dir_;
  std::unique_ptr<log_store> store_;
};

TEST_P(LogStoreTest, ReadsFromTheMiddleOfAChunkAndAcrossChunks) {
  const shard_key k{42, 3};
  EXPECT_EQ(append(k, 5, 1000), 1u);   // positions 1..5
  EXPECT_EQ(append(k, 3, 2000), 6u);   // 6..8
  EXPECT_EQ(append(k, 4, 3000), 9u);   // 9..12
  auto chunks = store_->read(k, 4, 1 << 20);
  ASSERT_TRUE(chunks.ok());
  ASSERT_EQ(chunks->size(), 3u);
  EXPECT_EQ((*chunks)[0].first_position, 1u);  // the chunk that holds position 4
  EXPECT_EQ((*chunks)[2].first_position, 9u);
  auto from_boundary = store_->read(k, 6, 1 << 20);
  ASSERT_EQ(from_boundary->front().first_position, 6u);
  EXPECT_TRUE(store_->read(k, 13, 1 << 20)->empty());
  EXPECT_EQ(store_->load_tail(k).value()->next_position, 13u);
}

TEST_P(LogStoreTest, ShardsAndStreamsDoNotSeeEachOther) {
  append({1, 0}, 2, 10);
  append({1, 1}, 3, 10);
  append({2, 0}, 4, 10);
  EXPECT_EQ(store_->read({1, 0}, 0, 1 << 20)->size(), 1u);
  EXPECT_EQ(store_->load_tail({1, 1}).value()->next_position, 4u);
  EXPECT_FALSE(store_->load_tail({3, 0}).value().has_value());
  ASSERT_TRUE(store_->drop_stream(1).ok());
  EXPECT_TRUE(store_->read({1, 0}, 0, 1 << 20)->empty());
  EXPECT_FALSE(store_->load_tail({1, 1}).value().has_value());
  EXPECT_EQ(store_->read({2, 0}, 0, 1 << 20)->size(), 1u);
}

TEST_P(LogStoreTest, SeeksByTimeAndTrimsBelowAPosition) {
  const shard_key k{7, 0};
  append(k, 2, 1000);  // 1..2
  append(k, 2, 2000);  // 3..4
  append(k, 2, 3000);  // 5..6
  EXPECT_EQ(store_->seek_time(k, 0).value(), 1u);
  EXPECT_EQ(store_->seek_time(k, 1500).value(), 3u);
  EXPECT_EQ(store_->seek_time(k, 2000).value(), 3u);
  EXPECT_FALSE(store_->seek_time(k, 3001).value().has_value());
  ASSERT_TRUE(store_->trim(k, 5, 2500).ok());
  EXPECT_EQ(store_->first_position(k).value(), 5u);
  EXPECT_EQ(store_->seek_time(k, 0).value(), 5u);
  EXPECT_EQ(store_->load_tail(k).value()->next_position, 7u);  // the tail survives trimming
}

INSTANTIATE_TEST_SUITE_P(Stores, LogStoreTest, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "Rocksdb" : "Memory"; });

}  // namespace
}  // namespace eddy::storage
