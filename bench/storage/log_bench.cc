// The append and read paths below the actor: chunk encoding, one group commit into the log, and reading
// a chunk back. Reports records/s and bytes/s.
#include <benchmark/benchmark.h>

#include <filesystem>

#include "eddy/storage/chunk_codec.h"
#include "eddy/storage/log_store.h"

namespace {

using namespace eddy::storage;

const std::string kPayload(100, 'p');

std::string make_chunk(int records, int64_t arrival) {
  chunk_writer w(arrival, static_cast<size_t>(records) * 110);
  for (int i = 0; i < records; ++i) w.add("partition-key", kPayload);
  return w.finish();
}

void BM_ChunkEncode(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(make_chunk(n, 1));
  state.SetItemsProcessed(state.iterations() * n);
  state.SetBytesProcessed(state.iterations() * n * static_cast<int64_t>(kPayload.size()));
}
BENCHMARK(BM_ChunkEncode)->Arg(1)->Arg(500);

void BM_ChunkDecode(benchmark::State& state) {
  const std::string chunk = make_chunk(500, 1);
  for (auto _ : state) benchmark::DoNotOptimize(decode_chunk(chunk));
  state.SetItemsProcessed(state.iterations() * 500);
  state.SetBytesProcessed(state.iterations() * 500 * static_cast<int64_t>(kPayload.size()));
}
BENCHMARK(BM_ChunkDecode);

std::unique_ptr<log_store> open_store(int kind, const std::string& dir) {
  if (kind == 0) return make_memory_store();
  std::filesystem::remove_all(dir);
  return std::move(open_rocksdb_store(dir, kind == 2 ? sync_mode::always : sync_mode::none)).value();
}

// Arg(0): memory engine, Arg(1): RocksDB --sync=none, Arg(2): RocksDB --sync=always. range(1) records a chunk.
void BM_Append(benchmark::State& state) {
  const auto dir = (std::filesystem::temp_directory_path() / "eddy-bench-append").string();
  auto store = open_store(static_cast<int>(state.range(0)), dir);
  const int n = static_cast<int>(state.range(1));
  const std::string chunk = make_chunk(n, 1);
  uint64_t pos = 1;
  for (auto _ : state) {
    if (!store->append({1, 0}, pos, 1, chunk, {pos + n, 1}).ok()) state.SkipWithError("append failed");
    pos += n;
  }
  state.SetItemsProcessed(state.iterations() * n);
  state.SetBytesProcessed(state.iterations() * n * static_cast<int64_t>(kPayload.size()));
  store.reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_Append)->Args({0, 500})->Args({1, 1})->Args({1, 500})->Args({2, 1})->Args({2, 500})->UseRealTime();

void BM_ReadChunks(benchmark::State& state) {
  const auto dir = (std::filesystem::temp_directory_path() / "eddy-bench-read").string();
  auto store = open_store(static_cast<int>(state.range(0)), dir);
  const std::string chunk = make_chunk(500, 1);
  for (uint64_t c = 0; c < 20; ++c) (void)store->append({1, 0}, 1 + c * 500, 1, chunk, {1 + (c + 1) * 500, 1});
  for (auto _ : state) {
    auto chunks = store->read({1, 0}, 1, 10u << 20);
    size_t records = 0;
    for (const auto& c : *chunks) records += decode_chunk(c.bytes)->size();
    benchmark::DoNotOptimize(records);
  }
  state.SetItemsProcessed(state.iterations() * 10000);
  state.SetBytesProcessed(state.iterations() * 10000 * static_cast<int64_t>(kPayload.size()));
  store.reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_ReadChunks)->Arg(0)->Arg(1);

}  // namespace
