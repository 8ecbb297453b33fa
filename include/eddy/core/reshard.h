#pragma once
// Resharding as edits of a stream's metadata: SplitShard, MergeShards and UpdateShardCount's uniform
// scaling. Each closes parents and adds children whose ParentShardId / AdjacentParentShardId record the
// lineage readers follow; the open shards always cover 0..2^128-1 with no gap and no overlap.
//
// Pure functions of the snapshot: the registry applies them under its lock (stream_registry::update_stream)
// and seals the closed shards' writers afterwards.
#include <cstdint>

#include "eddy/core/errc.h"
#include "eddy/core/stream_meta.h"
#include "eddy/core/stream_registry.h"

namespace eddy::core {

// AWS's limit on UpdateShardCount calls per stream in any 24 hours.
inline constexpr size_t max_scalings_per_day = 10;

result<void> split_shard(stream_meta& s, shard_index parent, u128 new_starting_hash_key, int64_t now_ms,
                         const account_limits& account);

// `lower` must end right where `upper` starts (AWS refuses the reverse order too).
result<void> merge_shards(stream_meta& s, shard_index lower, shard_index upper, int64_t now_ms);

// UNIFORM_SCALING to `target` open shards with the same ranges a fresh stream of `target` shards gets:
// every open shard is split at each new boundary inside it, then adjacent pieces are merged into each
// new range, so every child still has at most two parents.
result<void> scale_uniformly(stream_meta& s, uint32_t target, int64_t now_ms, const account_limits& account);

}  // namespace eddy::core
