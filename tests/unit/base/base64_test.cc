#include "eddy/base/base64.h"

#include <gtest/gtest.h>

namespace eddy::base64 {
namespace {

std::string as_string(const std::vector<uint8_t>& v) { return std::string(v.begin(), v.end()); }

TEST(Base64, RoundTripsEveryRemainderLength) {
  for (std::string s : {"", "a", "ab", "abc", "abcd", "hello world"}) {
    auto decoded = decode(encode(s));
    ASSERT_TRUE(decoded.has_value()) << s;
    EXPECT_EQ(as_string(*decoded), s);
  }
  EXPECT_EQ(encode("hello"), "aGVsbG8=");
}

TEST(Base64, RejectsLengthNotMultipleOfFour) {
  decode_failure why{};
  EXPECT_FALSE(decode("abc", &why));
  EXPECT_EQ(why.kind, decode_error::bad_length);
}

TEST(Base64, RejectsIllegalCharacterAndNamesIt) {
  decode_failure why{};
  EXPECT_FALSE(decode("ab$d", &why));
  EXPECT_EQ(why.kind, decode_error::bad_character);
  EXPECT_EQ(why.character, '$');
  EXPECT_FALSE(decode("a=bc", &why));  // padding in the middle
  EXPECT_EQ(why.character, '=');
  // The first bad character is named, wherever the groups and the padding put it.
  EXPECT_FALSE(decode("aGVsbG8hIQ!$aGVs", &why));
  EXPECT_EQ(why.character, '!');
  EXPECT_FALSE(decode("aGVsbG8*", &why));
  EXPECT_EQ(why.character, '*');
  EXPECT_FALSE(decode("aGVsb$==", &why));
  EXPECT_EQ(why.character, '$');
  EXPECT_FALSE(decode("aGVs=A==", &why));
  EXPECT_EQ(why.character, '=');
}

TEST(Base64, RejectsNonCanonicalTrailingBits) {
  decode_failure why{};
  EXPECT_FALSE(decode("aGVsbG9=", &why));  // "hello" is aGVsbG8=; 9 leaves bits set
  EXPECT_EQ(why.kind, decode_error::non_canonical);
}

TEST(Base64, UrlFormRoundTripsThroughLenientDecode) {
  const std::string raw = "\xfb\xff\x01 token";
  const auto url = encode_url(raw);
  EXPECT_EQ(url.find_first_of("+/="), std::string::npos);
  EXPECT_EQ(decode_lenient(url), raw);
  EXPECT_FALSE(decode_lenient("@@@"));
}

}  // namespace
}  // namespace eddy::base64
