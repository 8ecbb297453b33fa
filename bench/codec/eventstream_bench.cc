// SubscribeToShard's framing: one application/vnd.amazon.eventstream frame per event (headers, two
// CRC32s), written for every push to every subscriber, and the client-side decode for comparison.
#include <benchmark/benchmark.h>

#include <string>

#include "eddy/codec/eventstream.h"

namespace {

// An event's JSON payload of `n` 100-byte records (base64), as the server builds it.
std::string payload(int n) {
  std::string out = R"({"Records":[)";
  for (int i = 0; i < n; ++i) {
    if (i) out += ',';
    out += R"({"SequenceNumber":"49654108720541939812371849203751839474327582810418020354",)"
           R"("ApproximateArrivalTimestamp":1764183600.123,"Data":")" +
           std::string(136, 'A') + R"(","PartitionKey":"partition-key"})";
  }
  return out + R"(],"ContinuationSequenceNumber":"49654108720541939812371849203751839474327582810418020354",)"
               R"("MillisBehindLatest":0})";
}

void BM_EventFrameEncode(benchmark::State& state) {
  const std::string p = payload(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(eddy::codec::eventstream::event_frame("SubscribeToShardEvent", p));
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(p.size()));
}
BENCHMARK(BM_EventFrameEncode)->Arg(1)->Arg(100);

void BM_EventFrameDecode(benchmark::State& state) {
  const std::string frame = eddy::codec::eventstream::event_frame("SubscribeToShardEvent", payload(100));
  for (auto _ : state) benchmark::DoNotOptimize(eddy::codec::eventstream::decode(frame));
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(frame.size()));
}
BENCHMARK(BM_EventFrameDecode);

}  // namespace
