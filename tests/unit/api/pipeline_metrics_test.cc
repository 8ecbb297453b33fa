// GET /metrics through request_pipeline, without sockets: one sample per Kinesis call, none for
// probes.
#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "eddy/api/request_pipeline.h"
#include "eddy/metrics/exposition.h"
#include "testlib/metric_lookup.h"
#include "testlib/pipeline_harness.h"

namespace eddy::api {
namespace {

using testlib::value;

class PipelineMetricsTest : public ::testing::Test, protected testlib::pipeline_harness {
 protected:
  // The value on the line "<series> <value>" of the /metrics text, or -1 when the series is absent.
  double scraped(const std::string& text, const std::string& series) {
    const auto at = text.find("\n" + series + " ");
    if (at == std::string::npos) return -1;
    return std::stod(text.substr(at + series.size() + 2));
  }
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
