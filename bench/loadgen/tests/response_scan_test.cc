// The response scanner reads the same members out of JSON and CBOR answers as a full decode would.
#include "response_scan.h"

#include "eddy/codec/cbor_codec.h"
#include "eddy/codec/json_codec.h"

#include <gtest/gtest.h>

namespace eddy::bench {
namespace {

using codec::document;

document get_records_answer() {
  document records = document::array();
  records.push_back({{"SequenceNumber", "1"}, {"PartitionKey", "a"}, {"Data", codec::make_blob("hello")},
                     {"ApproximateArrivalTimestamp", codec::make_timestamp(1440938160123)}});
  records.push_back({{"SequenceNumber", "2"}, {"PartitionKey", "b"}, {"Data", codec::make_blob(std::string(100, 'x'))},
                     {"ApproximateArrivalTimestamp", codec::make_timestamp(1440938160124)}});
  return {{"Records", records},
          {"NextShardIterator", "AAAA/iter+"},
          {"MillisBehindLatest", 0},
          {"ChildShards", document::array({{{"ShardId", "s1"}, {"ParentShards", {"s0"}}}})}};
}

TEST(ResponseScan, ReadsGetRecordsInJsonAndCbor) {
  const document d = get_records_answer();
  for (auto [format, bytes] : {std::pair{body_format::json, codec::json::encode(d)},
                               std::pair{body_format::cbor, codec::cbor::encode(d)}}) {
    response_summary s;
    ASSERT_TRUE(scan_response(bytes, format, s));
    EXPECT_EQ(s.records, 2);
    EXPECT_EQ(s.data_bytes, 105);
    EXPECT_EQ(s.next_shard_iterator, "AAAA/iter+");
    EXPECT_EQ(s.millis_behind_latest, 0);
    EXPECT_EQ(s.child_shards, 1);
  }
}

TEST(ResponseScan, CountsFailedPutRecordsByErrorCode) {
  document records = document::array();
  records.push_back({{"SequenceNumber", "1"}, {"ShardId", "shardId-000000000000"}});
  records.push_back({{"ErrorCode", "ProvisionedThroughputExceededException"}, {"ErrorMessage", "Rate exceeded"}});
  records.push_back({{"ErrorCode", "ProvisionedThroughputExceededException"}, {"ErrorMessage", "Rate exceeded"}});
  records.push_back({{"ErrorCode", "InternalFailure"}, {"ErrorMessage", "x"}});
  const document d{{"FailedRecordCount", 3}, {"Records", records}};
  for (auto [format, bytes] : {std::pair{body_format::json, codec::json::encode(d)},
                               std::pair{body_format::cbor, codec::cbor::encode(d)}}) {
    response_summary s;
    ASSERT_TRUE(scan_response(bytes, format, s));
    EXPECT_EQ(s.failed_record_count, 3);
    EXPECT_EQ(s.records, 4);
    EXPECT_EQ(s.record_error_codes.at("ProvisionedThroughputExceededException"), 2);
    EXPECT_EQ(s.record_error_codes.at("InternalFailure"), 1);
  }
}

TEST(ResponseScan, ReadsErrorBodies) {
  response_summary s;
  ASSERT_TRUE(scan_response(R"({"__type":"com.amazon.coral.service#ResourceNotFoundException","message":"Stream \"x\" not found"})",
                            body_format::json, s));
  EXPECT_EQ(s.error_type, "ResourceNotFoundException");
  EXPECT_EQ(s.message, "Stream \"x\" not found");
  response_summary t;
  ASSERT_TRUE(scan_response(R"( { "__type" : "SerializationException", "Message": null } )", body_format::json, t));
  EXPECT_EQ(t.error_type, "SerializationException");
}

TEST(ResponseScan, ANullIteratorIsRemembered) {
  response_summary s;
  ASSERT_TRUE(scan_response(R"({"Records":[],"NextShardIterator":null,"MillisBehindLatest":0})", body_format::json, s));
  EXPECT_FALSE(s.next_shard_iterator);
  EXPECT_TRUE(s.next_shard_iterator_null);
  EXPECT_EQ(s.records, 0);
}

TEST(ResponseScan, TruncatedBodiesAreRefused) {
  const std::string json = codec::json::encode(get_records_answer());
  const std::string cbor = codec::cbor::encode(get_records_answer());
  response_summary s;
  EXPECT_FALSE(scan_response(std::string_view(json).substr(0, json.size() / 2), body_format::json, s));
  EXPECT_FALSE(scan_response(std::string_view(cbor).substr(0, cbor.size() / 2), body_format::cbor, s));
}

TEST(ResponseScan, ShortErrorTypeStripsNamespaceAndSuffix) {
  EXPECT_EQ(short_error_type("com.amazonaws.kinesis#LimitExceededException:http://internal"), "LimitExceededException");
  EXPECT_EQ(short_error_type("ValidationException"), "ValidationException");
}

}  // namespace
}  // namespace eddy::bench
