#pragma once
// storage_probe: storage's metrics.
//
//   eddy_storage_write_duration_seconds{sync}  histogram: one atomic commit (a WriteBatch); sync="true"
//                                              when it waits for stable storage (metadata, and appends
//                                              under --sync=always)
//   eddy_storage_sync_duration_seconds         histogram: one WAL fsync inside RocksDB (none in memory)
//   eddy_storage_write_batch_bytes             histogram: bytes of one appended chunk (a group commit)
//   eddy_storage_write_batch_records           histogram: records in one appended chunk
//   plus the engine's own figures (RocksDB properties), read at scrape time through kv_engine::stats()
//
// Why a probe of its own, made before the engine: the RocksDB engine reports WAL syncs from inside
// RocksDB (an EventListener), so the histogram must exist when the database opens.
//
// Thread safety: every method may be called from any thread; the observe_* calls are a few atomic
// updates under prometheus-cpp's per-histogram lock. Lifecycle: shared by the log_store, its engine's
// RocksDB listener and /metrics; the log_store detaches the engine before it goes, so a late scrape
// reads no engine that has closed.
#include <prometheus/collectable.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <chrono>
#include <mutex>

namespace eddy::storage {

class kv_engine;

class storage_probe final : public prometheus::Collectable {
 public:
  storage_probe();

  void observe_write(bool sync, std::chrono::nanoseconds took) {
    (sync ? write_sync_ : write_nosync_)->Observe(std::chrono::duration<double>(took).count());
  }
  void observe_sync(std::chrono::nanoseconds took) {
    sync_->Observe(std::chrono::duration<double>(took).count());
  }
  void observe_append(size_t bytes, uint32_t records) {
    batch_bytes_->Observe(static_cast<double>(bytes));
    batch_records_->Observe(records);
  }

  // The engine whose stats() join each scrape; nullptr detaches it.
  void attach(kv_engine* engine);

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  prometheus::Registry registry_;
  prometheus::Histogram* write_sync_;
  prometheus::Histogram* write_nosync_;
  prometheus::Histogram* sync_;
  prometheus::Histogram* batch_bytes_;
  prometheus::Histogram* batch_records_;
  mutable std::mutex engine_mu_;
  kv_engine* engine_ = nullptr;
};

}  // namespace eddy::storage
