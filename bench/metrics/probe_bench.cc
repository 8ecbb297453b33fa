// What metrics cost on the hot path, per request and per batch: the per-operation sample the request
// pipeline takes for every Kinesis call, a reader's per-batch shard counters, and a scrape. Run with
// --benchmark_filter and threads to see contention: a request on each of the two I/O threads updates the
// same operation's children.
#include <benchmark/benchmark.h>

#include <chrono>

#include "eddy/core/shard_probe.h"
#include "eddy/metrics/exposition.h"
#include "eddy/metrics/request_probe.h"

namespace {

using namespace eddy;

constexpr std::string_view kOps[] = {"PutRecord", "PutRecords", "GetRecords", "GetShardIterator"};

metrics::request_probe& probe() {
  static metrics::request_probe p(kOps);
  return p;
}

// One request's sample, as request_pipeline::observe takes it: two clock reads and record().
void BM_RequestSample(benchmark::State& state) {
  auto& p = probe();
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    p.record(1, s, 52000, 20000, "");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RequestSample)->Threads(1)->Threads(2)->UseRealTime();

// The error path: the error child is looked up by type (a lock and a hash).
void BM_RequestSampleWithError(benchmark::State& state) {
  auto& p = probe();
  for (auto _ : state) p.record(0, 0.0001, 100, 80, "ResourceNotFoundException");
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RequestSampleWithError)->Threads(1)->Threads(2)->UseRealTime();

// A GetRecords answer's or SubscribeToShard event's shard counters.
void BM_ShardRead(benchmark::State& state) {
  static core::shard_probe shard;
  for (auto _ : state) shard.read(500, 55000, 0);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ShardRead)->Threads(1)->Threads(2)->UseRealTime();

// Rendering the per-operation families (41 operations in eddy, 4 here) as /metrics text.
void BM_RenderRequestFamilies(benchmark::State& state) {
  metrics::exposition e;
  auto c = probe().collectable();
  e.add(c);
  for (auto _ : state) benchmark::DoNotOptimize(e.render());
}
BENCHMARK(BM_RenderRequestFamilies)->Unit(benchmark::kMicrosecond);

}  // namespace
