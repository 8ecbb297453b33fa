#include "model/validator.h"

#include <gtest/gtest.h>

#include "model/shapes.h"

namespace eddy::api::model {
namespace {

using codec::document;

const shape& create_like() {
  static const shape count{.k = kind::integer, .min_value = 1, .max_value = 100000};
  static const shape data{.k = kind::blob, .max_length = 4};
  static const shape ts{.k = kind::timestamp};
  static const shape key{.k = kind::string, .min_length = 1, .max_length = 256};
  static const shape record{.k = kind::structure, .members = {{"Data", &data, true}, {"PartitionKey", &key, true}}};
  static const shape records{.k = kind::list, .min_length = 1, .max_length = 2, .element = &record};
  static const shape s{.k = kind::structure,
                       .members = {{"ShardCount", &count},
                                   {"StreamName", &shapes::stream_name(), true},
                                   {"Flag", &shapes::boolean()},
                                   {"At", &ts},
                                   {"Records", &records},
                                   {"Mode", &shapes::stream_mode_details()}}};
  return s;
}

std::string message_of(const document& in) {
  auto r = validate(create_like(), in, protocol::json);
  return r.ok() ? "" : r.error().type + ": " + r.error().message;
}

TEST(Validator, MissingRequiredMemberIsMemberMustNotBeNull) {
  EXPECT_EQ(message_of({{"ShardCount", 1}}),
            "ValidationException: 1 validation error detected: Value null at 'streamName' failed to satisfy "
            "constraint: Member must not be null");
}

TEST(Validator, ListsSeveralFailuresInMemberOrder) {
  EXPECT_EQ(message_of({{"ShardCount", 0}, {"StreamName", "a b"}}),
            "ValidationException: 2 validation errors detected: Value '0' at 'shardCount' failed to satisfy "
            "constraint: Member must have value greater than or equal to 1; Value 'a b' at 'streamName' failed to "
            "satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
}

TEST(Validator, LengthsCountJavaCharacters) {
  EXPECT_EQ(message_of({{"StreamName", std::string(129, 'a')}}).find("Member must have length less than or equal "
                                                                    "to 128") != std::string::npos,
            true);
  // One emoji is two UTF-16 units: 128 of them exceed 256 characters.
  std::string emoji;
  for (int i = 0; i < 129; ++i) emoji += "\xF0\x9F\x98\x80";
  document in = {{"StreamName", "s"}, {"Records", {{{"Data", "AAAA"}, {"PartitionKey", emoji}}}}};
  EXPECT_NE(message_of(in).find("at 'records.1.member.partitionKey' failed to satisfy constraint: Member must have "
                                "length less than or equal to 256"),
            std::string::npos);
}

TEST(Validator, BlobValuesPrintAsHeapByteBuffers) {
  document in = {{"StreamName", "s"}, {"Records", {{{"Data", "AAAAAAAA"}, {"PartitionKey", "k"}}}}};
  EXPECT_EQ(message_of(in),
            "ValidationException: 1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=6 cap=6]' "
            "at 'records.1.member.data' failed to satisfy constraint: Member must have length less than or equal to "
            "4");
}

TEST(Validator, EnumFailuresListTheSet) {
  EXPECT_NE(message_of({{"StreamName", "s"}, {"Mode", {{"StreamMode", "FAST"}}}})
                .find("Value 'FAST' at 'mode.streamMode' failed to satisfy constraint: Member must satisfy enum value "
                      "set: [PROVISIONED, ON_DEMAND]"),
            std::string::npos);
}

TEST(Validator, StopsAtTenFailures) {
  document records = document::array();
  for (int i = 0; i < 2; ++i) records.push_back({{"Data", "AAAAAAAA"}, {"PartitionKey", ""}});
  document in = {{"ShardCount", 0}, {"StreamName", ""}, {"Records", records}};
  const auto msg = message_of(in);
  EXPECT_EQ(msg.rfind("ValidationException: 7 validation errors detected", 0), 0u) << msg;
}

TEST(Validator, WrongTypesAreSerializationExceptionsWithJacksonTexts) {
  auto check = [](const document& in, const std::string& expected) {
    auto r = validate(create_like(), in, protocol::json);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().type, "SerializationException");
    EXPECT_TRUE(r.error().capital_message);
    EXPECT_EQ(r.error().message, expected);
  };
  check({{"StreamName", 5}}, "class java.math.BigDecimal can not be converted to an String");
  check({{"StreamName", true}}, "class java.lang.Boolean can not be converted to an String");
  check({{"ShardCount", "1"}}, "class java.lang.String can not be converted to an Integer");
  check({{"StreamName", {1}}}, "Start of list found where not expected");
  check({{"StreamName", {{"a", 1}}}}, "Start of structure or map found where not expected.");
  check({{"Flag", "yes"}}, "'YES' can not be converted to an Boolean");
  check({{"Records", "x"}}, "Expected list or null");
  check({{"Mode", 1}}, "Expected null");
  check({{"Records", {{{"Data", "abc"}}}}},
        "'abc' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: 3");
  check({{"Records", {{{"Data", "ab$d"}}}}}, "'ab$d' can not be converted to a Blob: Invalid Base64 character: '$'");
}

TEST(Validator, DropsUnknownAndNullMembersAndConvertsBlobsAndTimestamps) {
  document in = {{"StreamName", "s"},
                 {"StreamId", "ignored"},
                 {"ShardCount", nullptr},
                 {"At", 1441215410.867},
                 {"Records", {{{"Data", "aGk="}, {"PartitionKey", "k"}}}}};
  auto r = validate(create_like(), in, protocol::json);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->contains("StreamId"));
  EXPECT_FALSE(r->contains("ShardCount"));
  ASSERT_TRUE(codec::is_timestamp((*r)["At"]));
  EXPECT_EQ(codec::timestamp_ms((*r)["At"]), 1441215410867);
  ASSERT_TRUE(codec::is_blob((*r)["Records"][0]["Data"]));
  EXPECT_EQ((*r)["Records"][0]["Data"].get_binary().size(), 2u);
}

TEST(Validator, IntegerTimestampsAreSecondsInJsonAndMillisecondsInCbor) {
  auto json = validate(create_like(), {{"StreamName", "s"}, {"At", 1441215410}}, protocol::json);
  auto cbor = validate(create_like(), {{"StreamName", "s"}, {"At", 1441215410867}}, protocol::cbor);
  EXPECT_EQ(codec::timestamp_ms((*json)["At"]), 1441215410000);
  EXPECT_EQ(codec::timestamp_ms((*cbor)["At"]), 1441215410867);
}

}  // namespace
}  // namespace eddy::api::model

namespace eddy::api::model {
namespace {

TEST(Validator, AbsurdTimestampsSaturateInsteadOfOverflowing) {
  auto big = validate(create_like(), {{"StreamName", "s"}, {"At", 10000000000000000LL}}, protocol::json);
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(codec::timestamp_ms((*big)["At"]), INT64_MAX);
  auto huge_float = validate(create_like(), {{"StreamName", "s"}, {"At", 1e300}}, protocol::json);
  ASSERT_TRUE(huge_float.ok());
  EXPECT_EQ(codec::timestamp_ms((*huge_float)["At"]), INT64_MAX);
  auto negative = validate(create_like(), {{"StreamName", "s"}, {"At", -1e300}}, protocol::json);
  EXPECT_EQ(codec::timestamp_ms((*negative)["At"]), INT64_MIN);
}

}  // namespace
}  // namespace eddy::api::model
