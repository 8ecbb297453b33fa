// Target dispatch and the protocol check order, driven through request_pipeline without sockets.
#include <gtest/gtest.h>

#include "eddy/api/request_pipeline.h"
#include "eddy/base/base64.h"
#include "eddy/base/clock.h"
#include "eddy/codec/json_codec.h"
#include "operation.h"
#include "testlib/pipeline_harness.h"

namespace eddy::api {
namespace {

class PipelineTest : public ::testing::Test, protected testlib::pipeline_harness {};

TEST_F(PipelineTest, EveryListedOperationIsFoundAndOthersAreNot) {
  for (const char* op : {"CreateStream", "DeleteStream", "DescribeStream", "DescribeStreamSummary", "ListStreams",
                         "ListShards", "DescribeLimits"}) {
    const operation* found = find_operation(op);
    ASSERT_NE(found, nullptr) << op;
    EXPECT_EQ(found->name, op);
  }
  EXPECT_EQ(find_operation("createStream"), nullptr);
  EXPECT_EQ(find_operation(""), nullptr);
}

TEST_F(PipelineTest, UnknownOperationWithJsonBody) {
  auto r = kinesis("Frobnicate", "{}");
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.body, R"({"__type":"UnknownOperationException"})");
  EXPECT_FALSE(header(r, "x-amzn-RequestId").empty());
}

TEST_F(PipelineTest, CheckOrderBeforeTheOperation) {
  http_request get;
  get.method = "GET";
  EXPECT_EQ(call(get).status, 403u);
  EXPECT_EQ(kinesis("ListStreams", "").body, R"({"__type":"SerializationException"})");
  EXPECT_EQ(kinesis("ListStreams", "{}", "text/plain").status, 404u);
  EXPECT_EQ(kinesis("ListStreams", "{bad").body, R"({"__type":"SerializationException"})");
  auto cbor_empty = kinesis("ListStreams", "", "application/x-amz-cbor-1.1");
  EXPECT_EQ(cbor_empty.status, 400u);
  EXPECT_EQ(cbor_empty.body, std::string("\xbf\x66__type\x76SerializationException\xff"));
}

TEST_F(PipelineTest, CreatesThenDescribes) {
  ASSERT_EQ(kinesis("CreateStream", R"({"StreamName":"s","ShardCount":2})").status, 200u);
  auto r = kinesis("DescribeStreamSummary", R"({"StreamName":"s"})");
  ASSERT_EQ(r.status, 200u);
  auto d = codec::json::decode(r.body);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ((*d)["StreamDescriptionSummary"]["OpenShardCount"], 2);
  EXPECT_EQ((*d)["StreamDescriptionSummary"]["StreamARN"], "arn:aws:kinesis:us-east-1:000000000000:stream/s");
}

TEST_F(PipelineTest, NextTokensPageAndRejectGarbage) {
  for (const char* name : {"a", "b", "c"}) {
    ASSERT_EQ(kinesis("CreateStream", std::string(R"({"ShardCount":1,"StreamName":")") + name + "\"}").status, 200u);
  }
  auto first = codec::json::decode(kinesis("ListStreams", R"({"Limit":2})").body);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ((*first)["StreamNames"], (codec::document{"a", "b"}));
  EXPECT_EQ((*first)["HasMoreStreams"], true);
  auto second = codec::json::decode(
      kinesis("ListStreams", R"({"NextToken":")" + (*first)["NextToken"].get<std::string>() + "\"}").body);
  EXPECT_EQ((*second)["StreamNames"], (codec::document{"c"}));
  EXPECT_EQ((*second)["HasMoreStreams"], false);
  auto bad = kinesis("ListStreams", R"({"NextToken":"garbage"})");
  EXPECT_EQ(bad.body, R"({"__type":"InvalidArgumentException","message":"Invalid NextToken."})");
}

}  // namespace
}  // namespace eddy::api

namespace eddy::api {
namespace {

// Forged NextTokens (base64url of JSON; they are not signed) must come back as InvalidArgumentException.
TEST_F(PipelineTest, ForgedListShardsTokensAreInvalidNotFatal) {
  ASSERT_EQ(kinesis("CreateStream", R"({"StreamName":"s","ShardCount":2})").status, 200u);
  const auto now = std::to_string(now_ms());
  for (const std::string& state :
       {R"({"k":"shards","issued_ms":)" + now + "}",
        R"({"k":"shards","stream":"s","after":"","created":1,"filter":{},"issued_ms":)" + now + "}",
        R"({"k":"shards","stream":"s","after":"","created":1,"filter":{"type":"AT_TIMESTAMP"},"issued_ms":)" + now + "}",
        R"({"k":"shards","stream":"s","after":"","created":1,"filter":)" + std::string(5000, '[') +
            std::string(5000, ']') + R"(,"issued_ms":)" + now + "}"}) {
    const auto r = kinesis("ListShards", R"({"NextToken":")" + base64::encode_url(state) + "\"}");
    EXPECT_EQ(r.status, 400u) << state.substr(0, 80);
    EXPECT_NE(r.body.find("InvalidArgumentException"), std::string::npos) << r.body;
  }
  // An issue time at the very bottom of int64 is simply old: no overflow computing its age.
  const auto ancient = kinesis(
      "ListShards", R"({"NextToken":")" +
                        base64::encode_url(R"({"k":"shards","stream":"s","after":"","created":1,"filter":null,)"
                                           R"("issued_ms":-9223372036854775808})") +
                        "\"}");
  EXPECT_NE(ancient.body.find("ExpiredNextTokenException"), std::string::npos) << ancient.body;
}

}  // namespace
}  // namespace eddy::api
