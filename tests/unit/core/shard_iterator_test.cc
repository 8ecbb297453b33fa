#include "eddy/core/shard_iterator.h"

#include <gtest/gtest.h>

#include "eddy/base/base64.h"

namespace eddy::core {
namespace {

std::array<uint8_t, 32> key(uint8_t fill) {
  std::array<uint8_t, 32> k{};
  k.fill(fill);
  return k;
}

const iterator_state kState{0xDEADBEEFCAFEF00DULL, shard_index{17}, 123456789, 1700000000000,
                            {"111122223333", "eu-central-1"}, std::string(128, 'n')};

TEST(ShardIterator, RoundTripsWithinTheSizeLimit) {
  const iterator_codec codec(key(1));
  const auto text = codec.encode(kState);
  EXPECT_LE(text.size(), 512u);
  const auto back = codec.decode(text);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->stream_uid, kState.stream_uid);
  EXPECT_EQ(back->shard, kState.shard);
  EXPECT_EQ(back->position, kState.position);
  EXPECT_EQ(back->issued_ms, kState.issued_ms);
  EXPECT_EQ(back->scope, kState.scope);
  EXPECT_EQ(back->stream_name, kState.stream_name);
}

TEST(ShardIterator, RejectsEveryFlippedByte) {
  const iterator_codec codec(key(1));
  const auto raw = *base64::decode(codec.encode(kState));
  for (size_t i = 0; i < raw.size(); ++i) {
    auto tampered = raw;
    tampered[i] ^= 0x01;
    EXPECT_FALSE(codec.decode(base64::encode(tampered.data(), tampered.size())).has_value()) << "byte " << i;
  }
}

TEST(ShardIterator, RejectsAnotherKeyAndGarbage) {
  const auto text = iterator_codec(key(1)).encode(kState);
  EXPECT_FALSE(iterator_codec(key(2)).decode(text).has_value());
  EXPECT_FALSE(iterator_codec(key(1)).decode("not base64!").has_value());
  EXPECT_FALSE(iterator_codec(key(1)).decode("AAAA").has_value());
  EXPECT_FALSE(iterator_codec(key(1)).decode("").has_value());
}

TEST(ShardIterator, FormatsExpiryTimesAsAwsDoes) {
  EXPECT_EQ(amz_utc_string(1421889722000), "Thu Jan 22 01:22:02 UTC 2015");
}

}  // namespace
}  // namespace eddy::core
