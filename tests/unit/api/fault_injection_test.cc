// --fault-rate, --fault-types and --fault-ops through request_pipeline, without sockets: the errors AWS
// sends, per record in PutRecords, repeatable with a seed, and counted in /metrics.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "eddy/api/request_pipeline.h"
#include "testlib/pipeline_harness.h"

namespace eddy::api {
namespace {

using json = nlohmann::json;

config::settings faulty(double rate, uint8_t types, std::vector<std::string> ops, uint64_t seed = 7) {
  config::settings s;
  s.fault_rate = rate;
  s.fault_types = types;
  s.fault_ops = std::move(ops);
  s.fault_seed = seed;
  return s;
}

struct broker : testlib::pipeline_harness {
  using pipeline_harness::pipeline_harness;

  json ok(const std::string& op, const json& body) {
    const auto r = kinesis(op, body.dump());
    EXPECT_EQ(r.status, 200u) << op << ": " << r.body;
    return r.body.empty() ? json::object() : json::parse(r.body);
  }
  // {status, __type, message} of an answer that should be an error.
  std::tuple<unsigned, std::string, std::string> error(const std::string& op, const json& body) {
    const auto r = kinesis(op, body.dump());
    const auto j = json::parse(r.body);
    return {r.status, j.value("__type", ""), j.value("message", "")};
  }
  json put_records(int n) {
    json records = json::array();
    for (int i = 0; i < n; ++i) records.push_back({{"PartitionKey", "k" + std::to_string(i)}, {"Data", "AAEC"}});
    return ok("PutRecords", {{"StreamName", "f"}, {"Records", records}});
  }
  // Every record stored in shard 0, by partition key.
  std::vector<std::string> stored_keys() {
    const auto it = ok("GetShardIterator",
                       {{"StreamName", "f"}, {"ShardId", "shardId-000000000000"}, {"ShardIteratorType", "TRIM_HORIZON"}});
    const auto got = ok("GetRecords", {{"ShardIterator", it["ShardIterator"]}, {"Limit", 10000}});
    std::vector<std::string> keys;
    for (const auto& r : got["Records"]) keys.push_back(r["PartitionKey"]);
    return keys;
  }
};

TEST(FaultInjection, WholeCallErrorsAreWhatAwsSends) {
  broker internal(faulty(1, config::fault_internal, {"PutRecord"}));
  internal.ok("CreateStream", {{"StreamName", "f"}, {"ShardCount", 1}});  // not in --fault-ops
  EXPECT_EQ(internal.error("PutRecord", {{"StreamName", "f"}, {"PartitionKey", "k"}, {"Data", "AAEC"}}),
            std::make_tuple(500u, std::string("InternalFailure"), std::string("Internal service failure.")));

  broker unavailable(faulty(1, config::fault_unavailable, {"ListStreams"}));
  EXPECT_EQ(unavailable.error("ListStreams", json::object()),
            std::make_tuple(503u, std::string("ServiceUnavailable"),
                            std::string("The request has failed due to a temporary failure of the server.")));

  broker throttled(faulty(1, config::fault_throttle, {"GetShardIterator", "DescribeStreamSummary", "ListStreams"}));
  throttled.ok("CreateStream", {{"StreamName", "f"}, {"ShardCount", 1}});
  EXPECT_EQ(throttled.error("GetShardIterator", {{"StreamName", "f"},
                                                 {"ShardId", "shardId-000000000000"},
                                                 {"ShardIteratorType", "LATEST"}}),
            std::make_tuple(400u, std::string("ProvisionedThroughputExceededException"),
                            std::string("Rate exceeded for shard shardId-000000000000 in stream f under account "
                                        "000000000000.")));
  EXPECT_EQ(throttled.error("DescribeStreamSummary", {{"StreamName", "f"}}),
            std::make_tuple(400u, std::string("LimitExceededException"),
                            std::string("Rate exceeded for stream f under account 000000000000.")));
  EXPECT_EQ(throttled.error("ListStreams", json::object()),
            std::make_tuple(400u, std::string("LimitExceededException"),
                            std::string("Rate exceeded for account 000000000000.")));
}

TEST(FaultInjection, BadInputStillGetsItsOwnError) {
  broker b(faulty(1, config::fault_internal, {}));
  const auto [status, type, message] = b.error("CreateStream", {{"StreamName", ""}, {"ShardCount", 1}});
  EXPECT_EQ(status, 400u);
  EXPECT_EQ(type, "ValidationException");
}

TEST(FaultInjection, PutRecordsIsThrottledPerRecordAndStoresTheRest) {
  broker b(faulty(0.5, config::fault_throttle, {"PutRecords"}));
  b.ok("CreateStream", {{"StreamName", "f"}, {"ShardCount", 1}});
  const auto out = b.put_records(200);
  int failed = 0;
  std::vector<std::string> acked;
  for (size_t i = 0; i < out["Records"].size(); ++i) {
    const auto& r = out["Records"][i];
    if (r.contains("ErrorCode")) {
      ++failed;
      EXPECT_EQ(r["ErrorCode"], "ProvisionedThroughputExceededException");
      EXPECT_EQ(r["ErrorMessage"], "Rate exceeded for shard shardId-000000000000 in stream f under account 000000000000.");
      EXPECT_FALSE(r.contains("SequenceNumber"));
    } else {
      acked.push_back("k" + std::to_string(i));
    }
  }
  EXPECT_EQ(out["FailedRecordCount"], failed);
  EXPECT_GT(failed, 60);   // about 100 of 200; the bounds fail only if the draws were not at rate 0.5
  EXPECT_LT(failed, 140);
  // Exactly the acknowledged records were stored, in request order.
  EXPECT_EQ(b.stored_keys(), acked);

  const auto metrics = b.get("/metrics").body;
  EXPECT_NE(metrics.find("eddy_faults_injected_total{operation=\"PutRecords\",type=\"throttle\"} " +
                         std::to_string(failed) + "\n"),
            std::string::npos)
      << metrics;
}

TEST(FaultInjection, TheSameSeedRefusesTheSameRecords) {
  const auto refused = [](uint64_t seed) {
    broker b(faulty(0.3, config::fault_throttle, {"PutRecords"}, seed));
    b.ok("CreateStream", {{"StreamName", "f"}, {"ShardCount", 1}});
    std::string pattern;
    const auto out = b.put_records(100);
    for (const auto& r : out["Records"]) pattern.push_back(r.contains("ErrorCode") ? 'x' : '.');
    return pattern;
  };
  const auto first = refused(11);
  EXPECT_NE(first.find('x'), std::string::npos);
  EXPECT_EQ(refused(11), first);
  EXPECT_NE(refused(12), first);
}

TEST(FaultInjection, UnknownOperationInFaultOpsIsRefusedAtStart) {
  const auto checked = request_pipeline::check_settings(faulty(0.1, config::fault_internal, {"PutRecord", "PutRecrods"}));
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error(), "--fault-ops names 'PutRecrods', which is not a Kinesis operation Eddy serves");
  EXPECT_TRUE(request_pipeline::check_settings(faulty(0.1, config::fault_internal, {"PutRecord"})));
}

}  // namespace
}  // namespace eddy::api
