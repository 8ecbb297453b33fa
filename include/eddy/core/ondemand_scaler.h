#pragma once
// ondemand_scaler: how an ON_DEMAND stream grows. Every tick it samples each open shard's appended
// records and bytes; a shard whose writes stay above half of a shard's capacity (1 MiB/s or 1000
// records/s, AWS's per-shard write limits) for `sustained_ticks` ticks in a row is split at the middle of
// its hash range, as long as the account's shard limit allows. Streams never shrink by themselves.
//
// Executor: tick() runs on one thread at a time (the application's timer); it reads actors' atomics and
// edits streams through the registry, both thread-safe.
#include <cstdint>
#include <map>
#include <utility>

#include "eddy/core/shard_directory.h"
#include "eddy/core/stream_registry.h"

namespace eddy::core {

struct scaler_options {
  uint64_t hot_bytes_per_s = 512 * 1024;
  uint64_t hot_records_per_s = 500;
  int sustained_ticks = 3;
};

class ondemand_scaler {
 public:
  ondemand_scaler(stream_registry& registry, shard_directory& shards, scaler_options opts = {})
      : registry_(registry), shards_(shards), opts_(opts) {}

  // Samples rates since the previous tick and splits shards that stayed hot; returns how many it split.
  int tick(int64_t now_ms);

 private:
  struct sample {
    int64_t at_ms;
    uint64_t records;
    uint64_t bytes;
    int hot_ticks;
  };
  stream_registry& registry_;
  shard_directory& shards_;
  scaler_options opts_;
  std::map<std::pair<uint64_t, uint32_t>, sample> samples_;
};

}  // namespace eddy::core
