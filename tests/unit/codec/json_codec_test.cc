// The JSON codec: simdjson on the fast path must give exactly the document nlohmann's parser gives, and
// refuse exactly what it refuses, since every error answer AWS-compatibility depends on starts here.
#include <gtest/gtest.h>

#include "eddy/codec/json_codec.h"

namespace eddy::codec {
namespace {

// nlohmann's answer, the reference the codec had before simdjson.
std::optional<document> reference(std::string_view text) {
  auto d = document::parse(text, nullptr, /*allow_exceptions=*/false);
  if (d.is_discarded()) return std::nullopt;
  return d;
}

// Equal values of the same kinds all the way down: nlohmann's == calls 1 and 1u equal, handlers do not.
void expect_same_kinds(const document& a, const document& b, const std::string& where) {
  ASSERT_EQ(a.type(), b.type()) << where;
  if (a.is_object()) {
    for (const auto& [k, v] : a.items()) expect_same_kinds(v, b.at(k), where + "." + k);
  } else if (a.is_array()) {
    for (size_t i = 0; i < a.size(); ++i) expect_same_kinds(a[i], b[i], where + "[" + std::to_string(i) + "]");
  }
}

TEST(JsonCodec, AgreesWithTheReferenceParser) {
  const std::vector<std::string> inputs = {
      R"({"StreamName":"s","Records":[{"Data":"aGk=","PartitionKey":"k"}]})",
      R"({"a":1,"a":2})",                       // a repeated key keeps the last value
      R"({"n":-1,"m":0.0,"big":18446744073709551615,"neg":-9223372036854775808,"small":7,"zero":0})",
      R"({"huge":18446744073709551616,"tiny":1e-400,"inf":1e400})",  // past 64 bits, denormal, overflow
      R"({"s":"\u00e9\ud83d\ude00\n\"\\\/"})",
      R"({"t":true,"f":false,"z":null,"e":[],"o":{}})",
      " \t\n{\"ws\" : [ 1 , 2 ] }\r\n",
      R"([1,"x",{"y":[null]}])",
      R"("just a string")",
      "42",
  };
  for (const auto& in : inputs) {
    const auto got = json::decode(in);
    const auto want = reference(in);
    ASSERT_EQ(got.has_value(), want.has_value()) << in;
    if (want) {
      EXPECT_EQ(*got, *want) << in;
      EXPECT_EQ(got->dump(), want->dump()) << in;
      expect_same_kinds(*got, *want, in);
    }
  }
}

TEST(JsonCodec, RefusesWhatTheReferenceRefuses) {
  for (const std::string in : {R"({"a":1)", R"({"a":1} x)", R"({"a":"\ud800"})", "{\"a\":\"\xff\"}",
                               R"({"a":01})", R"({'a':1})", R"({"a":1,})", "", "nul", R"({"a":"tab	here"})"}) {
    EXPECT_FALSE(json::decode(in).has_value()) << in;
  }
}

TEST(JsonCodec, BoundsDepthAtSixtyFour) {
  auto nested = [](int depth) { return std::string(depth, '[') + std::string(depth, ']'); };
  EXPECT_TRUE(json::decode(nested(64)).has_value());
  EXPECT_FALSE(json::decode(nested(65)).has_value());
  EXPECT_FALSE(json::decode(nested(100000)).has_value());
}

TEST(JsonCodec, LargeBodiesParseWithAParserOfTheirOwn) {
  std::string big = R"({"Records":[)";
  for (int i = 0; i < 20000; ++i) big += (i ? "," : "") + std::string(R"({"Data":")") + std::string(64, 'A') + R"(","PartitionKey":"k"})";
  big += "]}";
  ASSERT_GT(big.size(), 1u << 20);
  const auto d = json::decode(big);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ((*d)["Records"].size(), 20000u);
  // And the reused small parser still works after it.
  EXPECT_EQ(*json::decode(R"({"a":[1]})"), reference(R"({"a":[1]})"));
}

TEST(JsonCodec, EncodesEscapesAndRunsOfPlainText) {
  document d = {{"k", std::string("plain \"q\" back\\slash \x01 ctl\ttab\nnl é")}};
  EXPECT_EQ(json::encode(d), R"({"k":"plain \"q\" back\\slash \u0001 ctl\ttab\nnl é"})");
  EXPECT_EQ(json::encode(document{{"b", make_blob(std::string_view("hi!"))}}), R"({"b":"aGkh"})");
}

}  // namespace
}  // namespace eddy::codec
