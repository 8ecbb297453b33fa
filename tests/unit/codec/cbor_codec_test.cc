#include "eddy/codec/cbor_codec.h"

#include <gtest/gtest.h>

namespace eddy::codec {
namespace {

std::string bytes(std::initializer_list<int> b) {
  std::string s;
  for (int x : b) s.push_back(static_cast<char>(x));
  return s;
}

TEST(CborCodec, DecodesWhatTheJavaSdkSends) {
  // {"StreamName": "s", "Timestamp": tag1(1441215410867), "Data": h'0001ff'}, indefinite-length map as Jackson writes it.
  std::string in = bytes({0xbf, 0x6a});
  in += "StreamName";
  in += bytes({0x61, 's', 0x69});
  in += "Timestamp";
  in += bytes({0xc1, 0x1b, 0x00, 0x00, 0x01, 0x4f, 0x8f, 0x21, 0xf2, 0xb3});
  in += bytes({0x64});
  in += "Data";
  in += bytes({0x43, 0x00, 0x01, 0xff, 0xff});
  auto d = cbor::decode(in);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ((*d)["StreamName"], "s");
  EXPECT_EQ((*d)["Timestamp"].get<int64_t>(), 1441215410867);  // the tag is dropped; the validator reads ms
  ASSERT_TRUE(is_blob((*d)["Data"]));
  EXPECT_EQ(static_cast<const std::vector<uint8_t>&>((*d)["Data"].get_binary()), (std::vector<uint8_t>{0x00, 0x01, 0xff}));
}

TEST(CborCodec, EncodesTimestampsAsTagOneMillisecondsAndBlobsAsByteStrings) {
  document d = {{"T", make_timestamp(1441215410867)}, {"D", make_blob(std::string_view("\x01\x02", 2))}};
  const std::string out = cbor::encode(d);
  EXPECT_EQ(out, bytes({0xa2, 0x61, 'D', 0x42, 0x01, 0x02, 0x61, 'T', 0xc1, 0x1b, 0x00, 0x00, 0x01, 0x4f, 0x8f, 0x21,
                        0xf2, 0xb3}));
  const std::string seconds = cbor::encode({{"T", make_timestamp(1500)}}, cbor::timestamp_style::epoch_seconds);
  EXPECT_EQ(seconds, bytes({0xa1, 0x61, 'T', 0xc1, 0xfb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0}));  // 1.5
}

TEST(CborCodec, RoundTripsIntegersStringsAndNesting) {
  document d = {{"neg", -25}, {"big", 4294967296ULL}, {"list", {1, "two", true, nullptr}}, {"f", 0.25}};
  auto back = cbor::decode(cbor::encode(d));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, d);
}

TEST(CborCodec, RejectsMalformedAndTooDeepInput) {
  EXPECT_FALSE(cbor::decode("").has_value());
  EXPECT_FALSE(cbor::decode(bytes({0xa1, 0x61})).has_value());  // truncated
  EXPECT_FALSE(cbor::decode(bytes({0xa0, 0xa0})).has_value());  // trailing item
  std::string deep(100000, static_cast<char>(0x81));          // [[[[...
  deep.push_back(static_cast<char>(0x01));
  EXPECT_FALSE(cbor::decode(deep).has_value());
  std::string ok_depth(60, static_cast<char>(0x81));
  ok_depth.push_back(static_cast<char>(0x01));
  EXPECT_TRUE(cbor::decode(ok_depth).has_value());
}

}  // namespace
}  // namespace eddy::codec

#include "eddy/codec/json_codec.h"

namespace eddy::codec {
namespace {

TEST(JsonCodec, RefusesNestingDeeperThan64) {
  EXPECT_FALSE(json::decode(std::string(300000, '[') + std::string(300000, ']')).has_value());
  EXPECT_TRUE(json::decode(std::string(60, '[') + std::string(60, ']')).has_value());
  EXPECT_FALSE(json::decode("{\"a\":").has_value());
}

}  // namespace
}  // namespace eddy::codec
