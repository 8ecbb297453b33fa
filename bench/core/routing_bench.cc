// Per-record work of the append path above storage: the MD5 partition-key hash that picks a shard, and the
// 56-digit sequence number formatted for every acknowledged record (and parsed for every iterator request).
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "eddy/core/hash_range.h"
#include "eddy/core/sequence_number.h"

namespace {

void BM_PartitionHash(benchmark::State& state) {
  std::vector<std::string> keys;
  for (int i = 0; i < 1024; ++i) keys.push_back("partition-key-" + std::to_string(i));
  size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(eddy::core::partition_hash(keys[i++ & 1023]));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PartitionHash);

eddy::core::sequence_parts sample_parts(uint64_t position) {
  return {0x12345678ab, eddy::core::shard_index{3}, eddy::core::position{position}};
}

void BM_SequenceNumberFormat(benchmark::State& state) {
  uint64_t pos = 1;
  for (auto _ : state) benchmark::DoNotOptimize(eddy::core::format_sequence_number(sample_parts(pos++)));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SequenceNumberFormat);

void BM_SequenceNumberParse(benchmark::State& state) {
  const std::string text = eddy::core::format_sequence_number(sample_parts(123456789));
  for (auto _ : state) benchmark::DoNotOptimize(eddy::core::parse_sequence_number(text));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SequenceNumberParse);

}  // namespace
