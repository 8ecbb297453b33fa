#include "eddy/base/uint128.h"

#include <gtest/gtest.h>

namespace eddy {
namespace {

TEST(Uint128, FormatsTheExtremes) {
  EXPECT_EQ(to_decimal(0), "0");
  EXPECT_EQ(to_decimal(u128_max), "340282366920938463463374607431768211455");
}

TEST(Uint128, FormatsAcrossItsNineteenDigitPieces) {
  const u128 e19 = 10'000'000'000'000'000'000ull;
  EXPECT_EQ(to_decimal(e19 - 1), "9999999999999999999");
  EXPECT_EQ(to_decimal(e19), "10000000000000000000");
  EXPECT_EQ(to_decimal(e19 * e19), "100000000000000000000000000000000000000");
  EXPECT_EQ(to_decimal(e19 * e19 + 7), "100000000000000000000000000000000000007");
  EXPECT_EQ(to_decimal(e19 * 42 + 5), "420000000000000000005");
  for (u128 v = 1; v < u128_max / 3; v = v * 3 + 1) EXPECT_EQ(parse_decimal(to_decimal(v)), v);
}

TEST(Uint128, ParsesUpToTwoToThe128MinusOne) {
  EXPECT_EQ(parse_decimal("340282366920938463463374607431768211455"), u128_max);
  EXPECT_FALSE(parse_decimal("340282366920938463463374607431768211456"));  // 2^128
  EXPECT_FALSE(parse_decimal("1000000000000000000000000000000000000000"));  // 40 digits
  EXPECT_FALSE(parse_decimal(""));
  EXPECT_FALSE(parse_decimal("-1"));
  EXPECT_FALSE(parse_decimal("12a"));
  EXPECT_EQ(parse_decimal("007"), u128{7});
}

TEST(Uint128, ReadsBigEndianBytes) {
  unsigned char bytes[16] = {};
  bytes[15] = 1;
  bytes[0] = 0x80;
  EXPECT_EQ(from_big_endian(bytes), (u128{1} << 127) | 1);
}

}  // namespace
}  // namespace eddy
