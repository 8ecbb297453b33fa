// One Kinesis call through request_pipeline, without sockets: content-type and target checks, the body
// codec, SigV4 presence checks, validation, the handler, the shard actors and the in-memory store, and
// the response encoding. This is the server's whole per-request CPU cost above HTTP, so a profile of it
// (valgrind --tool=callgrind build/bench/api_bench --benchmark_filter=PutRecordsJson) shows where time goes.
#include <benchmark/benchmark.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "eddy/api/request_pipeline.h"
#include "eddy/base/base64.h"
#include "eddy/codec/cbor_codec.h"
#include "eddy/codec/json_codec.h"

namespace {

using namespace eddy;
constexpr int kRecords = 500;

// The broker's parts, wired as the application wires them, on one io_context run by the benchmark thread.
struct broker_parts {
  boost::asio::io_context ioc;
  config::settings settings;
  std::unique_ptr<storage::log_store> store = storage::make_memory_store();
  core::stream_registry registry{*store, {}, [](auto, auto) {}};
  core::shard_directory shards{ioc.get_executor(), ioc.get_executor(), *store};
  core::iterator_codec iterators{std::array<uint8_t, 32>{}};
  api::request_pipeline pipeline{registry, shards, iterators, settings};

  api::http_response call(api::http_request req) {
    auto fut = boost::asio::co_spawn(ioc, pipeline.handle(std::move(req)), boost::asio::use_future);
    ioc.restart();
    ioc.run();
    return fut.get();
  }

  api::http_request request(const std::string& op, std::string body, bool cbor) {
    api::http_request req;
    req.method = "POST";
    req.target = "/";
    req.headers = {{"content-type", cbor ? "application/x-amz-cbor-1.1" : "application/x-amz-json-1.1"},
                   {"x-amz-target", "Kinesis_20131202." + op},
                   {"x-amz-date", "20240101T000000Z"},
                   {"authorization",
                    "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/kinesis/aws4_request, "
                    "SignedHeaders=host;x-amz-date, Signature=abc"}};
    req.body = std::move(body);
    return req;
  }
};

std::string put_records_body(bool cbor) {
  codec::document records = codec::document::array();
  for (int i = 0; i < kRecords; ++i) {
    records.push_back({{"Data", codec::make_blob(std::string(100, 'p'))}, {"PartitionKey", "key-" + std::to_string(i)}});
  }
  codec::document in = {{"StreamName", "bench"}, {"Records", std::move(records)}};
  return cbor ? codec::cbor::encode(in) : codec::json::encode(in);
}

void put_records(benchmark::State& state, bool cbor) {
  broker_parts b;
  if (b.call(b.request("CreateStream", R"({"StreamName":"bench","ShardCount":4})", false)).status != 200) {
    state.SkipWithError("CreateStream failed");
    return;
  }
  const std::string body = put_records_body(cbor);
  for (auto _ : state) {
    auto resp = b.call(b.request("PutRecords", body, cbor));
    if (resp.status != 200) state.SkipWithError("PutRecords failed");
  }
  state.SetItemsProcessed(state.iterations() * kRecords);
}

void BM_PutRecordsJson(benchmark::State& state) { put_records(state, false); }
BENCHMARK(BM_PutRecordsJson)->Unit(benchmark::kMicrosecond);
void BM_PutRecordsCbor(benchmark::State& state) { put_records(state, true); }
BENCHMARK(BM_PutRecordsCbor)->Unit(benchmark::kMicrosecond);

void BM_GetRecordsJson(benchmark::State& state) {
  broker_parts b;
  b.call(b.request("CreateStream", R"({"StreamName":"bench","ShardCount":1})", false));
  const std::string body = put_records_body(false);
  for (int i = 0; i < 20; ++i) b.call(b.request("PutRecords", body, false));  // 10,000 records
  const auto it = b.call(b.request(
      "GetShardIterator",
      R"({"StreamName":"bench","ShardId":"shardId-000000000000","ShardIteratorType":"TRIM_HORIZON"})", false));
  const std::string iterator = codec::json::decode(it.body)->at("ShardIterator");
  const std::string read = R"({"ShardIterator":")" + iterator + R"(","Limit":500})";
  for (auto _ : state) {
    auto resp = b.call(b.request("GetRecords", read, false));
    if (resp.status != 200) state.SkipWithError("GetRecords failed");
  }
  state.SetItemsProcessed(state.iterations() * kRecords);
}
BENCHMARK(BM_GetRecordsJson)->Unit(benchmark::kMicrosecond);

}  // namespace
