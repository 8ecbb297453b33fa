#pragma once
// retention_worker: deletes records older than their stream's retention period.
//
// A sweep finds, for every shard, the first chunk that arrived after the cutoff (one seek in the time
// index), range-deletes everything before it, and raises the shard's trim position so TRIM_HORIZON moves
// forward. Reads already hide expired records before a sweep gets to them; the sweep reclaims space.
//
// Lifecycle: the application runs sweep() on the storage executor from a periodic timer. The clock is
// injected so tests can jump a day ahead instead of waiting one. Thread safety: sweep() must not run
// concurrently with itself; it may run concurrently with everything else.
#include <cstdint>
#include <functional>

#include "eddy/core/shard_directory.h"
#include "eddy/core/stream_registry.h"

namespace eddy::core {

struct sweep_stats {
  uint32_t shards_checked = 0;
  uint32_t shards_trimmed = 0;
  uint64_t records_expired = 0;  // positions moved past (reason: retention)
};

class retention_worker {
 public:
  using clock = std::function<int64_t()>;  // epoch ms

  retention_worker(stream_registry& registry, shard_directory& shards, clock now)
      : registry_(registry), shards_(shards), now_(std::move(now)) {}

  storage::result<sweep_stats> sweep();

 private:
  stream_registry& registry_;
  shard_directory& shards_;
  clock now_;
};

}  // namespace eddy::core
