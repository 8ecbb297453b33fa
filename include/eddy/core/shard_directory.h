#pragma once
// shard_directory: finds (creating on first use) the actor of a shard, and reads shard logs.
//
// Lifecycle: built by the application after storage opens; actors live until their stream is deleted
// or the process stops. Thread safety: every method may be called from any thread (one mutex guards the
// map; reads go straight to storage, which is thread-safe).
#include <boost/asio/any_io_executor.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "eddy/core/shard_actor.h"
#include "eddy/core/shard_id.h"
#include "eddy/storage/log_store.h"

namespace eddy::core {

struct stored_record {
  uint64_t position;
  int64_t arrival_ms;
  std::string partition_key;
  std::string data;
};

struct read_batch {
  std::vector<stored_record> records;
  uint64_t next_position;  // where the next read continues
  uint64_t bytes = 0;      // data and partition keys of `records`
};

class shard_directory {
 public:
  shard_directory(boost::asio::any_io_executor io, boost::asio::any_io_executor storage_executor,
                  storage::log_store& store);

  // Bytes of records one shard may hold waiting for its next write (--max-shard-queue-bytes), for actors
  // started from now on. Set before serving.
  void set_max_queue_bytes(uint64_t n) { max_queue_bytes_ = n; }

  // `closed`: the metadata says a reshard closed this shard, so its actor must be (or become) sealed;
  // after a restart that is how a closed shard's actor learns it.
  storage::result<std::shared_ptr<shard_actor>> actor(uint64_t stream_uid, shard_index shard, bool closed = false);
  // The actor if one runs already (never loads one): for observers that only care about live shards.
  std::shared_ptr<shard_actor> existing(uint64_t stream_uid, shard_index shard);
  // Drops the actors of a deleted stream.
  void forget(uint64_t stream_uid);

  // Records at positions >= from and below the shard's acknowledged tail, at most `limit` of them and
  // about `max_bytes` of data, skipping any that arrived before `min_arrival_ms` (past retention).
  storage::result<read_batch> read(const shard_actor& actor, uint64_t from, size_t limit, size_t max_bytes,
                                   int64_t min_arrival_ms);

  storage::log_store& store() { return store_; }
  const boost::asio::any_io_executor& storage_executor() const { return storage_; }

 private:
  boost::asio::any_io_executor io_;
  boost::asio::any_io_executor storage_;
  storage::log_store& store_;
  uint64_t max_queue_bytes_ = 64ull << 20;
  std::mutex mu_;
  std::map<std::pair<uint64_t, uint32_t>, std::shared_ptr<shard_actor>> actors_;
};

}  // namespace eddy::core
