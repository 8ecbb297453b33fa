#include "eddy/core/sequence_number.h"

#include <gtest/gtest.h>

namespace eddy::core {
namespace {

TEST(SequenceNumber, Has56DigitsStartingWith49) {
  for (const sequence_parts p : {sequence_parts{0, shard_index{0}, position{0}},
                                 sequence_parts{salt_mask, shard_index{max_shard_index}, position{UINT64_MAX}}}) {
    const auto s = format_sequence_number(p);
    EXPECT_EQ(s.size(), 56u) << s;
    EXPECT_EQ(s.substr(0, 2), "49");
    EXPECT_EQ(parse_sequence_number(s), p);
  }
}

TEST(SequenceNumber, RisesNumericallyWithPosition) {
  const uint64_t salt = 0x12345;
  std::string prev;
  for (uint64_t pos : std::initializer_list<uint64_t>{0, 1, 9, 10, 255, 256, uint64_t{1} << 40, UINT64_MAX}) {
    const auto s = format_sequence_number({salt, shard_index{3}, position{pos}});
    // Equal lengths, so text order is numeric order.
    if (!prev.empty()) {
      EXPECT_LT(prev, s);
    }
    prev = s;
  }
}

TEST(SequenceNumber, IdentifiesShardAndStream) {
  const auto a = format_sequence_number({7, shard_index{1}, position{5}});
  const auto b = format_sequence_number({7, shard_index{2}, position{5}});
  const auto c = format_sequence_number({8, shard_index{1}, position{5}});
  EXPECT_NE(a, b);
  EXPECT_NE(a, c);
  EXPECT_EQ(parse_sequence_number(b)->shard, shard_index{2});
  EXPECT_EQ(parse_sequence_number(c)->salt, 8u);
}

TEST(SequenceNumber, RejectsNumbersWeCouldNotHaveIssued) {
  const auto good = format_sequence_number({1, shard_index{0}, position{1}});
  EXPECT_FALSE(parse_sequence_number(good.substr(1)));                 // 55 digits
  EXPECT_FALSE(parse_sequence_number("50" + good.substr(2)));          // prefix
  EXPECT_FALSE(parse_sequence_number("491" + good.substr(3)));         // above 2^128
  EXPECT_FALSE(parse_sequence_number(good.substr(0, 55) + "x"));       // not a digit
  EXPECT_FALSE(parse_sequence_number("49" + std::string(15, '0') + std::string(39, '9')));  // > 2^128-1
  EXPECT_FALSE(parse_sequence_number(""));
}

}  // namespace
}  // namespace eddy::core
