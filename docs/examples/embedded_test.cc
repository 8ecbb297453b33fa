// A GoogleTest suite with an Eddy broker inside the test process (docs/embedded.md explains it).
//
// Build: link the target eddy::embedded (plus GTest). Each test gets a fresh in-memory broker on a port
// the OS picks; start() returns once it serves, stop() (or the destructor) drains and joins its threads.
// The calls below are raw Kinesis JSON over HTTP/1.1 with Boost.Beast, so the example needs no AWS SDK;
// with the AWS SDK for C++, set the client's endpointOverride to broker.endpoint() instead.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include <string>

#include "eddy/embedded/broker.h"

namespace {

namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

struct reply {
  unsigned status;
  nlohmann::json body;
};

// One Kinesis call. Eddy checks that a SigV4 Authorization header is present and well formed, as AWS does
// before it verifies the signature; it verifies signatures only with --auth=sigv4.
reply kinesis(uint16_t port, const std::string& operation, const nlohmann::json& input) {
  boost::asio::io_context ioc;
  boost::beast::tcp_stream stream(ioc);
  stream.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
  http::request<http::string_body> req{http::verb::post, "/", 11};
  req.set(http::field::host, "127.0.0.1");
  req.set(http::field::content_type, "application/x-amz-json-1.1");
  req.set("X-Amz-Target", "Kinesis_20131202." + operation);
  req.set("X-Amz-Date", "20260101T000000Z");
  req.set(http::field::authorization,
          "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/kinesis/aws4_request, "
          "SignedHeaders=host;x-amz-date, Signature=0");
  req.body() = input.dump();
  req.prepare_payload();
  http::write(stream, req);
  boost::beast::flat_buffer buf;
  http::response<http::string_body> res;
  http::read(stream, buf, res);
  return {res.result_int(), nlohmann::json::parse(res.body())};
}

class EmbeddedBroker : public ::testing::Test {
 protected:
  void SetUp() override {
    auto settings = eddy::embedded::broker::fixture_settings();
    settings.init_streams = {{"orders", 2, false}};  // made before start() returns
    broker_.emplace(settings);
    auto started = broker_->start();
    ASSERT_TRUE(started) << started.error();
  }
  void TearDown() override { broker_->stop(); }

  std::optional<eddy::embedded::broker> broker_;
};

TEST_F(EmbeddedBroker, ServesOnAnEphemeralPortWithTheInitStreams) {
  EXPECT_NE(broker_->port(), 0);
  EXPECT_EQ(broker_->endpoint(), "http://127.0.0.1:" + std::to_string(broker_->port()));
  const auto listed = kinesis(broker_->port(), "ListStreams", nlohmann::json::object());
  ASSERT_EQ(listed.status, 200u);
  EXPECT_EQ(listed.body["StreamNames"], nlohmann::json::array({"orders"}));
}

TEST_F(EmbeddedBroker, PutThenGetARecord) {
  const auto put = kinesis(broker_->port(), "PutRecord",
                           {{"StreamName", "orders"}, {"PartitionKey", "k"}, {"Data", "aGVsbG8="}});
  ASSERT_EQ(put.status, 200u) << put.body;
  const std::string shard = put.body["ShardId"];
  const auto it = kinesis(broker_->port(), "GetShardIterator",
                          {{"StreamName", "orders"}, {"ShardId", shard}, {"ShardIteratorType", "TRIM_HORIZON"}});
  ASSERT_EQ(it.status, 200u) << it.body;
  const auto got = kinesis(broker_->port(), "GetRecords", {{"ShardIterator", it.body["ShardIterator"]}});
  ASSERT_EQ(got.status, 200u) << got.body;
  ASSERT_EQ(got.body["Records"].size(), 1u);
  EXPECT_EQ(got.body["Records"][0]["Data"], "aGVsbG8=");
  EXPECT_EQ(got.body["Records"][0]["SequenceNumber"], put.body["SequenceNumber"]);
}

TEST_F(EmbeddedBroker, ErrorsAreAwsErrors) {
  const auto missing = kinesis(broker_->port(), "DescribeStreamSummary", {{"StreamName", "nope"}});
  EXPECT_EQ(missing.status, 400u);
  EXPECT_EQ(missing.body["__type"], "ResourceNotFoundException");
}

TEST(EmbeddedBrokerLifecycle, StopsAndStartsAgainInOneProcess) {
  for (int i = 0; i < 3; ++i) {
    eddy::embedded::broker b;  // fixture_settings(): in memory, a free port
    ASSERT_TRUE(b.start());
    EXPECT_EQ(kinesis(b.port(), "ListStreams", nlohmann::json::object()).status, 200u);
    b.stop();
    b.stop();  // idempotent
  }
}

TEST(EmbeddedBrokerLifecycle, AStartThatCannotBindSaysWhy) {
  eddy::embedded::broker first;
  ASSERT_TRUE(first.start());
  auto settings = eddy::embedded::broker::fixture_settings();
  settings.port = first.port();
  eddy::embedded::broker second(settings);
  auto started = second.start();
  ASSERT_FALSE(started);
  EXPECT_NE(started.error().find(std::to_string(first.port())), std::string::npos) << started.error();
}

}  // namespace
