// One Kinesis call through request_pipeline, without sockets: content-type and target checks, the body
// codec, SigV4 presence checks, validation, the handler, the shard actors and the in-memory store, and
// the response encoding. This is the server's whole per-request CPU cost above HTTP, so a profile of it
// (valgrind --tool=callgrind build/bench/api_bench --benchmark_filter=PutRecordsJson) shows where time goes.
#include <benchmark/benchmark.h>

#include "eddy/base/base64.h"
#include "eddy/codec/cbor_codec.h"
#include "eddy/codec/json_codec.h"
#include "testlib/pipeline_harness.h"

namespace {

using namespace eddy;
constexpr int kRecords = 500;

constexpr const char* kJson = "application/x-amz-json-1.1";
constexpr const char* kCbor = "application/x-amz-cbor-1.1";

std::string put_records_body(bool cbor) {
  codec::document records = codec::document::array();
  for (int i = 0; i < kRecords; ++i) {
    records.push_back({{"Data", codec::make_blob(std::string(100, 'p'))}, {"PartitionKey", "key-" + std::to_string(i)}});
  }
  codec::document in = {{"StreamName", "bench"}, {"Records", std::move(records)}};
  return cbor ? codec::cbor::encode(in) : codec::json::encode(in);
}

void put_records(benchmark::State& state, bool cbor) {
  testlib::pipeline_harness b;
  if (b.kinesis("CreateStream", R"({"StreamName":"bench","ShardCount":4})").status != 200) {
    state.SkipWithError("CreateStream failed");
    return;
  }
  const std::string body = put_records_body(cbor);
  for (auto _ : state) {
    auto resp = b.kinesis("PutRecords", body, cbor ? kCbor : kJson);
    if (resp.status != 200) state.SkipWithError("PutRecords failed");
  }
  state.SetItemsProcessed(state.iterations() * kRecords);
}

void BM_PutRecordsJson(benchmark::State& state) { put_records(state, false); }
BENCHMARK(BM_PutRecordsJson)->Unit(benchmark::kMicrosecond);
void BM_PutRecordsCbor(benchmark::State& state) { put_records(state, true); }
BENCHMARK(BM_PutRecordsCbor)->Unit(benchmark::kMicrosecond);

void BM_GetRecordsJson(benchmark::State& state) {
  testlib::pipeline_harness b;
  b.kinesis("CreateStream", R"({"StreamName":"bench","ShardCount":1})");
  const std::string body = put_records_body(false);
  for (int i = 0; i < 20; ++i) b.kinesis("PutRecords", body);  // 10,000 records
  const auto it = b.kinesis(
      "GetShardIterator",
      R"({"StreamName":"bench","ShardId":"shardId-000000000000","ShardIteratorType":"TRIM_HORIZON"})");
  const std::string iterator = codec::json::decode(it.body)->at("ShardIterator");
  const std::string read = R"({"ShardIterator":")" + iterator + R"(","Limit":500})";
  for (auto _ : state) {
    auto resp = b.kinesis("GetRecords", read);
    if (resp.status != 200) state.SkipWithError("GetRecords failed");
  }
  state.SetItemsProcessed(state.iterations() * kRecords);
}
BENCHMARK(BM_GetRecordsJson)->Unit(benchmark::kMicrosecond);

}  // namespace
