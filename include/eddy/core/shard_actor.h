#pragma once
// shard_actor: the one writer of a shard's log.
//
// Executors. The actor's state lives on its own strand of the shared I/O io_context (one strand per
// actor rather than one io_context per core: shards far outnumber cores, a strand costs a few words, and
// the pool balances hot shards across both cores by itself). Storage writes, which may block on fsync,
// run on the storage executor, never on an I/O thread.
//
// Group commit. append() queues records; while one chunk is being written, later appends wait in the
// queue and leave together as the next chunk: one WriteBatch, one sync, many acknowledgements. Positions
// are assigned when a chunk is formed, in queue order, so each producer's records stay contiguous and in
// request order.
//
// Sealing. A reshard closes a shard: seal() makes the actor refuse later appends (storage::errc::sealed),
// lets the ones already queued commit, and then reports sealed(). Readers treat a closed shard as ended
// only once it is sealed, so no record accepted before the close is ever skipped.
//
// Thread safety: append() and the accessors may be called from any thread.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "eddy/core/shard_probe.h"
#include "eddy/storage/log_store.h"

namespace eddy::core {

struct append_record {
  std::string partition_key;
  std::vector<uint8_t> data;
};

struct append_ack {
  uint64_t first_position;  // the records got first_position, first_position + 1, ...
  int64_t arrival_ms;
};

using append_callback = std::function<void(storage::result<append_ack>)>;

// Told each time newly appended records become readable (fan-out subscriptions wait on this instead of
// polling). appended() runs on the actor's strand with the listener list locked: it must only note the
// fact and post any real work elsewhere.
class append_listener {
 public:
  virtual void appended() = 0;

 protected:
  ~append_listener() = default;
};

class shard_actor : public std::enable_shared_from_this<shard_actor> {
 public:
  shard_actor(boost::asio::any_io_executor io, boost::asio::any_io_executor storage_executor,
              storage::log_store& store, storage::shard_key key, storage::shard_tail tail, uint64_t trim_position,
              bool sealed = false, uint64_t max_queue_bytes = 64ull << 20);

  // Appends `records` as one contiguous run. `done` runs on the actor's strand once the records are
  // durable as --sync promises (or failed, in which case none of them was stored). When the actor is
  // sealed, the records are moved to `*returned` (if given) before `done` hears storage::errc::sealed.
  // When more than max_queue_bytes already wait for the disk, `done` hears storage::errc::queue_full:
  // producers faster than the disk get throttled instead of growing the queue without bound.
  void append(std::vector<append_record> records, append_callback done,
              std::vector<append_record>* returned = nullptr);

  // The position the next record will take: every position below it is acknowledged.
  uint64_t next_position() const { return next_.load(std::memory_order_acquire); }
  int64_t last_arrival_ms() const { return last_arrival_.load(std::memory_order_acquire); }
  // Totals appended since the actor started (on-demand scaling samples them for rates).
  uint64_t appended_records() const { return appended_records_.load(std::memory_order_relaxed); }
  uint64_t appended_bytes() const { return appended_bytes_.load(std::memory_order_relaxed); }
  // Positions below this are gone (retention).
  uint64_t trim_position() const { return trim_.load(std::memory_order_acquire); }
  void raise_trim_position(uint64_t p);

  storage::shard_key key() const { return key_; }

  // Refuses appends from now on; idempotent. sealed() turns true once the queue has drained, and
  // listeners hear about it.
  void seal();
  bool sealed() const { return sealed_.load(std::memory_order_acquire); }

  // A listener stays registered until removed; remove_listener() returns only once no appended() call
  // on it is running, so the listener may be destroyed right after.
  void add_listener(append_listener* l);
  void remove_listener(append_listener* l);
  // Calls every listener now (e.g. when the shard closes and subscribers must see it).
  void notify_listeners();
  size_t listener_count();

  // Readers' counters for /metrics (the appended_* totals above are the write side).
  shard_probe& probe() { return probe_; }
  const shard_probe& probe() const { return probe_; }

 private:
  struct pending {
    std::vector<append_record> records;
    append_callback done;
  };

  void start_write();  // on strand_
  void finish_write(std::vector<pending> batch, uint64_t first, int64_t arrival, storage::result<void> r);
  void seal_if_idle();  // on strand_

  boost::asio::strand<boost::asio::any_io_executor> strand_;
  boost::asio::any_io_executor storage_;
  storage::log_store& store_;
  const storage::shard_key key_;

  // Strand-owned.
  std::vector<pending> queue_;
  uint64_t queued_bytes_ = 0;  // of the records in queue_
  const uint64_t max_queue_bytes_;
  bool writing_ = false;
  bool sealing_ = false;
  uint64_t assigned_ = 0;  // next position to hand out (ahead of next_ while a chunk is in flight)

  std::mutex listeners_mu_;
  std::vector<append_listener*> listeners_;

  std::atomic<uint64_t> next_;
  std::atomic<int64_t> last_arrival_;
  std::atomic<uint64_t> trim_;
  std::atomic<bool> sealed_;
  std::atomic<uint64_t> appended_records_{0};
  std::atomic<uint64_t> appended_bytes_{0};
  shard_probe probe_;
};

}  // namespace eddy::core
