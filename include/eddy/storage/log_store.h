#pragma once
// log_store: stream metadata and the shard logs, on a kv_engine (RocksDB in --data-dir, or memory for
// --in-memory). Nothing above this module sees rocksdb::Status.
//
// A shard's log is a sequence of chunks keyed by their first position; each append writes the chunk, its
// time-index entry and the shard's new tail in one atomic batch, synced when sync is on.
//
// Thread safety: every method may be called from any thread. Appends to one shard must come from one
// writer at a time (the shard actor), which is what keeps positions contiguous.
// Lifecycle: opened by the application before the core services start, destroyed after they stop.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "eddy/storage/errors.h"
#include "eddy/storage/kv_engine.h"
#include "eddy/storage/storage_probe.h"

namespace eddy::storage {

using key_value = std::pair<std::string, std::string>;

struct shard_key {
  uint64_t stream_uid;
  uint32_t shard;
};

struct shard_tail {
  uint64_t next_position = 0;
  int64_t last_arrival_ms = 0;
};

struct stored_chunk {
  uint64_t first_position;
  std::string bytes;  // chunk_codec layout
};

// What `--sync` promises: always = acknowledged means fsync'd; none = acknowledged means handed to the OS.
enum class sync_mode { always, none };

class log_store {
 public:
  // `probe`: the one the engine was opened with, if any; otherwise the store makes its own.
  log_store(std::unique_ptr<kv_engine> engine, sync_mode sync, std::shared_ptr<storage_probe> probe = nullptr);
  ~log_store();
  log_store(const log_store&) = delete;
  log_store& operator=(const log_store&) = delete;

  // Metadata: small records (streams, keys), always synced.
  result<void> meta_put(std::string_view key, std::string_view value);
  result<void> meta_erase(std::string_view key);
  result<std::optional<std::string>> meta_get(std::string_view key);
  // Every record whose key starts with `prefix`, in key order.
  result<std::vector<key_value>> meta_scan(std::string_view prefix);

  // Appends one encoded chunk whose first record takes `first_position`, with the shard's new tail.
  result<void> append(shard_key shard, uint64_t first_position, int64_t arrival_ms, std::string_view chunk,
                      shard_tail new_tail);
  result<std::optional<shard_tail>> load_tail(shard_key shard);
  // Chunks holding positions >= from, in order, until their sizes add up to max_bytes (at least one chunk).
  result<std::vector<stored_chunk>> read(shard_key shard, uint64_t from, size_t max_bytes);
  // The first position of the first chunk that arrived at or after arrival_ms; nullopt when none did.
  result<std::optional<uint64_t>> seek_time(shard_key shard, int64_t arrival_ms);
  // The first position still stored; nullopt when the shard holds nothing.
  result<std::optional<uint64_t>> first_position(shard_key shard);
  // Deletes (two range deletes) every chunk that starts before `position` and arrived before `arrival_ms`.
  result<void> trim(shard_key shard, uint64_t position, int64_t arrival_ms);
  // Deletes every record and tail of a stream.
  result<void> drop_stream(uint64_t stream_uid);
  // About how many bytes the shard's chunks take: for /metrics, computed when scraped.
  result<uint64_t> approximate_bytes(shard_key shard);

  sync_mode sync() const { return sync_; }
  // Storage's metrics (storage_probe.h), for /metrics.
  std::shared_ptr<storage_probe> probe() const { return probe_; }

 private:
  // Every write goes through here, timed.
  result<void> commit(std::span<const write_op> ops, bool sync);

  std::unique_ptr<kv_engine> kv_;
  sync_mode sync_;
  std::shared_ptr<storage_probe> probe_;
};

result<std::unique_ptr<log_store>> open_rocksdb_store(const std::string& dir, sync_mode sync = sync_mode::always);
std::unique_ptr<log_store> make_memory_store();

}  // namespace eddy::storage
