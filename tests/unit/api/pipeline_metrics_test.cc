// GET /metrics through request_pipeline, without sockets: one sample per Kinesis call, none for
// probes.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <regex>
#include <sstream>

#include "eddy/api/request_pipeline.h"
#include "eddy/metrics/exposition.h"
#include "testlib/metric_lookup.h"

namespace eddy::api {
namespace {

using testlib::value;

class PipelineMetricsTest : public ::testing::Test {
 protected:
  PipelineMetricsTest()
      : store_(storage::make_memory_store()),
        registry_(*store_, {}, [](auto, auto) {}),
        shards_(ioc_.get_executor(), ioc_.get_executor(), *store_),
        iterators_(std::array<uint8_t, 32>{}),
        pipeline_(registry_, shards_, iterators_, settings_) {}

  http_response call(http_request req) {
    auto fut =
        boost::asio::co_spawn(ioc_, pipeline_.handle(std::move(req)), boost::asio::use_future);
    ioc_.restart();
    ioc_.run();
    return fut.get();
  }

  http_response kinesis(const std::string& op, const std::string& body) {
    http_request req;
    req.method = "POST";
    req.target = "/";
    req.headers = {{"content-type", "application/x-amz-json-1.1"},
                   {"x-amz-target", "Kinesis_20131202." + op},
                   {"x-amz-date", "20240101T000000Z"},
                   {"authorization",
                    "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/kinesis/aws4_request, "
                    "SignedHeaders=host, "
                    "Signature=abc"}};
    req.body = body;
    return call(std::move(req));
  }

  http_response get(const std::string& target) {
    http_request req;
    req.method = "GET";
    req.target = target;
    return call(std::move(req));
  }

  // The value on the line "<series> <value>" of the /metrics text, or -1 when the series is absent.
  double scraped(const std::string& text, const std::string& series) {
    const auto at = text.find("\n" + series + " ");
    if (at == std::string::npos) return -1;
    return std::stod(text.substr(at + series.size() + 2));
  }

  boost::asio::io_context ioc_;
  config::settings settings_;
  std::unique_ptr<storage::log_store> store_;
  core::stream_registry registry_;
  core::shard_directory shards_;
  core::iterator_codec iterators_;
  request_pipeline pipeline_;
};

TEST_F(PipelineMetricsTest, MetricsAnswersInPrometheusTextFormat) {
  const auto r = get("/metrics");
  EXPECT_EQ(r.status, 200u);
  bool typed = false;
  for (const auto& [k, v] : r.headers) {
    if (k == "Content-Type") {
      EXPECT_EQ(v, "text/plain; version=0.0.4; charset=utf-8");
      typed = true;
    }
  }
  EXPECT_TRUE(typed);
  for (const char* line :
       {"# TYPE eddy_api_requests_total counter",
        "# TYPE eddy_api_request_duration_seconds histogram",
        "# TYPE eddy_storage_write_duration_seconds histogram",
        "# TYPE eddy_shard_stored_bytes gauge", "# TYPE process_resident_memory_bytes gauge"}) {
    EXPECT_NE(r.body.find(line), std::string::npos) << line;
  }
  // Every sample line: a name, optional labels, one number.
  static const std::regex sample(R"(^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? [-+0-9.eE]+(Inf)?$)");
  std::istringstream lines(r.body);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#') continue;
    EXPECT_TRUE(std::regex_match(line, sample)) << line;
  }
}

TEST_F(PipelineMetricsTest, OneSamplePerCallWithBytesErrorsAndNoneForProbes) {
  const std::string create = R"({"StreamName":"m","ShardCount":1})";
  ASSERT_EQ(kinesis("CreateStream", create).status, 200u);
  const std::string put = R"({"StreamName":"m","PartitionKey":"k","Data":"AAEC"})";
  const auto put_resp = kinesis("PutRecord", put);
  ASSERT_EQ(put_resp.status, 200u);
  const std::string put_missing = R"({"StreamName":"nope","PartitionKey":"k","Data":"AAEC"})";
  const auto missing = kinesis("PutRecord", put_missing);
  ASSERT_EQ(missing.status, 400u);
  ASSERT_EQ(kinesis("Frobnicate", "{}").status, 400u);
  get("/health");
  get("/ready");
  get("/metrics");

  const std::string text = get("/metrics").body;
  EXPECT_EQ(scraped(text, R"(eddy_api_requests_total{operation="CreateStream"})"), 1);
  EXPECT_EQ(scraped(text, R"(eddy_api_requests_total{operation="PutRecord"})"), 2);
  EXPECT_EQ(scraped(text, R"(eddy_api_request_duration_seconds_count{operation="PutRecord"})"), 2);
  EXPECT_EQ(scraped(text, R"(eddy_api_request_bytes_total{operation="PutRecord"})"),
            static_cast<double>(put.size() + put_missing.size()));
  EXPECT_EQ(scraped(text, R"(eddy_api_response_bytes_total{operation="PutRecord"})"),
            static_cast<double>(put_resp.body.size() + missing.body.size()));
  EXPECT_EQ(
      scraped(
          text,
          R"(eddy_api_errors_total{error_type="ResourceNotFoundException",operation="PutRecord"})"),
      1);
  EXPECT_EQ(scraped(text, R"(eddy_api_requests_total{operation="unknown"})"), 1);
  EXPECT_EQ(
      scraped(
          text,
          R"(eddy_api_errors_total{error_type="UnknownOperationException",operation="unknown"})"),
      1);
  EXPECT_EQ(
      scraped(
          text,
          R"(eddy_api_errors_total{error_type="ResourceNotFoundException",operation="CreateStream"})"),
      -1)
      << "no error series for an operation that never failed";
  EXPECT_EQ(
      scraped(
          text,
          R"(eddy_shard_incoming_records_total{account="000000000000",region="us-east-1",stream="m",shard="shardId-000000000000"})"),
      1);
  EXPECT_EQ(
      scraped(
          text,
          R"(eddy_shard_incoming_bytes_total{account="000000000000",region="us-east-1",stream="m",shard="shardId-000000000000"})"),
      4)
      << "3 data bytes and a 1-byte key";
}

TEST_F(PipelineMetricsTest, OtherGetsAreCountedAsUnknownErrors) {
  ASSERT_EQ(get("/favicon.ico").status, 403u);
  const std::string text = get("/metrics").body;
  EXPECT_EQ(
      scraped(text,
              R"(eddy_api_errors_total{error_type="AccessDeniedException",operation="unknown"})"),
      1);
}

}  // namespace
}  // namespace eddy::api
