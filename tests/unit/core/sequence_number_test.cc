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

// The values below were computed independently (Python integers) from the layout in the header:
// 2^185 | salt << 100 | position << 36 | shard << 4. Each is 186 bits long with 2 in bits 184-187 and the
// shard index in bits 4-35, which is what KCL's SequenceNumberValidator reads from AWS's numbers: KCL
// gave up on Eddy's earlier 185-bit numbers (found by the KCL end-to-end tests).
TEST(SequenceNumber, IsAwsVersionTwoLayoutThatKclCanRead) {
  EXPECT_EQ(format_sequence_number({0, shard_index{0}, position{0}}),
            "49039857307708443467467104868809893875799651909875269632");  // exactly 2^185
  EXPECT_EQ(format_sequence_number({0, shard_index{1}, position{0}}),
            "49039857307708443467467104868809893875799651909875269648");
  EXPECT_EQ(format_sequence_number({0, shard_index{0}, position{1}}),
            "49039857307708443467467104868809893875799651978594746368");
  EXPECT_EQ(format_sequence_number({0x12345, shard_index{3}, position{42}}),
            "49039857307708443467561627235815911801122256470602154032");
  EXPECT_EQ(format_sequence_number({salt_mask, shard_index{max_shard_index}, position{UINT64_MAX}}),
            "49039857307709837264042013032756239858191692364018352112");
}

TEST(SequenceNumber, StillReadsTheEarlierLayout) {
  // "49", 15 zeros, then salt << 88 | shard << 64 | position in 39 digits: salt 1, shard 2, position 3.
  const auto parts = parse_sequence_number("49" "000000000000000" "000000000000309485046714833216143884291");
  ASSERT_TRUE(parts);
  EXPECT_EQ(*parts, (sequence_parts{1, shard_index{2}, position{3}}));
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
  EXPECT_FALSE(parse_sequence_number("491" + good.substr(3)));         // bits above the salt
  EXPECT_FALSE(parse_sequence_number(good.substr(0, 55) + "x"));       // not a digit
  EXPECT_FALSE(parse_sequence_number(good.substr(0, 55) + "1"));       // the low 4 bits are not zero
  EXPECT_FALSE(parse_sequence_number("49" + std::string(15, '0') + std::string(39, '9')));  // > 2^128-1
  EXPECT_FALSE(parse_sequence_number("49" + std::string(54, '9')));    // past 2^186
  EXPECT_FALSE(parse_sequence_number(""));
}

}  // namespace
}  // namespace eddy::core
