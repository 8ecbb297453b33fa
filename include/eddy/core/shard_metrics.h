#pragma once
// shard_metrics: the per-shard families of /metrics, computed when scraped.
//
// Labels: account, region, stream (the name) and shard (the ShardId). Streams are isolated per account
// and region, so the same stream name may exist twice and only all four labels name one shard.
//
//   eddy_shard_incoming_records_total, _bytes_total   appended (acknowledged); bytes = data + keys
//   eddy_shard_outgoing_records_total, _bytes_total   delivered by GetRecords and SubscribeToShard
//   eddy_shard_iterator_age_seconds                   MillisBehindLatest of the shard's last read
//   eddy_shard_throttled_total                        calls refused for coming too soon (shard_probe.h)
//   eddy_shard_subscribers                            SubscribeToShard streams open on the shard now
//   eddy_shard_stored_bytes                           storage's estimate of the shard's chunks
//
// Why at scrape time rather than as registered prometheus-cpp children: the shards that exist are the
// registry's, so a deleted stream's series vanish with it and no per-shard child must be removed while
// a request may still hold it; and the hot path keeps only the actor's relaxed counters. Shards
// without a running actor (nothing touched them since start) report zeros.
//
// Thread safety: Collect() may run on any thread, concurrently with everything else; it reads
// snapshots and atomics only. Lifecycle: the registry and directory must outlive it (the broker
// builds them first).
#include <prometheus/collectable.h>

#include "eddy/core/shard_directory.h"
#include "eddy/core/stream_registry.h"

namespace eddy::core {

class shard_metrics final : public prometheus::Collectable {
 public:
  shard_metrics(const stream_registry& registry, shard_directory& shards)
      : registry_(registry), shards_(shards) {}

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  const stream_registry& registry_;
  shard_directory& shards_;
};

}  // namespace eddy::core
