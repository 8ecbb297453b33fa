// The body codecs on the data-plane hot path: a 500-record PutRecords request decoded, and a 500-record
// GetRecords response encoded, in JSON (base64 blobs) and in CBOR (byte strings, the Java SDK's default).
#include <benchmark/benchmark.h>

#include "eddy/base/base64.h"
#include "eddy/codec/cbor_codec.h"
#include "eddy/codec/document.h"
#include "eddy/codec/json_codec.h"
#include "eddy/codec/record_list.h"

namespace {

using eddy::codec::document;
constexpr int kRecords = 500;
const std::string kPayload(100, 'p');

// PutRecords as the SDKs send it: a blob is base64 text in JSON and a byte string in CBOR.
document put_records() {
  document records = document::array();
  for (int i = 0; i < kRecords; ++i) {
    document r = document::object();
    r["Data"] = eddy::codec::make_blob(kPayload);
    r["PartitionKey"] = "partition-key-" + std::to_string(i);
    records.push_back(std::move(r));
  }
  return {{"StreamName", "bench"}, {"Records", std::move(records)}};
}

// A GetRecords response: what the server encodes for every read.
document get_records_output() {
  document records = document::array();
  for (int i = 0; i < kRecords; ++i) {
    document r = document::object();
    r["SequenceNumber"] = "49654108720541939812371849203751839474327582810418020354";
    r["ApproximateArrivalTimestamp"] = eddy::codec::make_timestamp(1764183600123);
    r["Data"] = eddy::codec::make_blob(kPayload);
    r["PartitionKey"] = "partition-key-" + std::to_string(i);
    records.push_back(std::move(r));
  }
  return {{"Records", std::move(records)}, {"NextShardIterator", std::string(200, 'i')}, {"MillisBehindLatest", 0}};
}

void items(benchmark::State& state, size_t body_bytes) {
  state.SetItemsProcessed(state.iterations() * kRecords);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(body_bytes));
}

void BM_PutRecordsJsonDecode(benchmark::State& state) {
  const std::string body = eddy::codec::json::encode(put_records());
  for (auto _ : state) benchmark::DoNotOptimize(eddy::codec::json::decode(body));
  items(state, body.size());
}
BENCHMARK(BM_PutRecordsJsonDecode);

void BM_PutRecordsCborDecode(benchmark::State& state) {
  const std::string body = eddy::codec::cbor::encode(put_records());
  for (auto _ : state) benchmark::DoNotOptimize(eddy::codec::cbor::decode(body));
  items(state, body.size());
}
BENCHMARK(BM_PutRecordsCborDecode);

// The records as the server builds them now: one packed buffer (codec/record_list.h).
document get_records_output_packed() {
  eddy::codec::record_list_builder records(false, kRecords * 200);
  for (int i = 0; i < kRecords; ++i) {
    records.add("49654108720541939812371849203751839474327582810418020354", 1764183600123,
                "partition-key-" + std::to_string(i), kPayload);
  }
  return {{"Records", std::move(records).finish()}, {"NextShardIterator", std::string(200, 'i')},
          {"MillisBehindLatest", 0}};
}

template <class Encode>
void encode_bench(benchmark::State& state, const document& out, Encode encode) {
  size_t n = 0;
  for (auto _ : state) {
    auto body = encode(out);
    n = body.size();
    benchmark::DoNotOptimize(body);
  }
  items(state, n);
}

std::string json_encode(const document& d) { return eddy::codec::json::encode(d); }
std::string cbor_encode(const document& d) { return eddy::codec::cbor::encode(d); }

// Tree: every record a document object, as before the packed list; Packed: what GetRecords sends today.
BENCHMARK_CAPTURE(encode_bench, GetRecordsJsonTree, get_records_output(), json_encode);
BENCHMARK_CAPTURE(encode_bench, GetRecordsJsonPacked, get_records_output_packed(), json_encode);
BENCHMARK_CAPTURE(encode_bench, GetRecordsCborTree, get_records_output(), cbor_encode);
BENCHMARK_CAPTURE(encode_bench, GetRecordsCborPacked, get_records_output_packed(), cbor_encode);

void BM_Base64Decode100B(benchmark::State& state) {
  const std::string text = eddy::base64::encode(kPayload);
  for (auto _ : state) benchmark::DoNotOptimize(eddy::base64::decode(text));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Base64Decode100B);

}  // namespace
