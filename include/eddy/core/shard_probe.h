#pragma once
// shard_probe: a shard's read-side counters, kept next to its actor so that readers update them
// with a few relaxed atomic adds per batch (never per record) and /metrics reads them when scraped.
// The write side needs nothing new: the actor already totals what it appends (for on-demand
// scaling).
//
// Thread safety: every member may be used from any thread; relaxed order is enough because each
// value is a statistic read on its own.
#include <atomic>
#include <cstdint>

namespace eddy::core {

struct shard_probe {
  // One GetRecords answer or SubscribeToShard event: how much it carried and how far behind the tip
  // it left its reader (the MillisBehindLatest it reported).
  void read(uint64_t records, uint64_t bytes, int64_t millis_behind) {
    outgoing_records.fetch_add(records, std::memory_order_relaxed);
    outgoing_bytes.fetch_add(bytes, std::memory_order_relaxed);
    last_millis_behind.store(millis_behind, std::memory_order_relaxed);
  }
  // A call on this shard refused for coming too soon (SubscribeToShard within 5 s of the holder's
  // start).
  void throttle() { throttled.fetch_add(1, std::memory_order_relaxed); }

  std::atomic<uint64_t> outgoing_records{0};
  std::atomic<uint64_t> outgoing_bytes{0};  // data and partition keys
  std::atomic<int64_t> last_millis_behind{0};
  std::atomic<uint64_t> throttled{0};
};

}  // namespace eddy::core
