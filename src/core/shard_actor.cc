#include "eddy/core/shard_actor.h"

#include <boost/asio/post.hpp>

#include "eddy/base/clock.h"
#include "eddy/storage/chunk_codec.h"

namespace eddy::core {
namespace {

// A chunk stops growing past this many bytes; a single larger request still goes as one chunk.
constexpr size_t kMaxChunkBytes = 4u << 20;

}  // namespace

shard_actor::shard_actor(boost::asio::any_io_executor io, boost::asio::any_io_executor storage_executor,
                         storage::log_store& store, storage::shard_key key, storage::shard_tail tail,
                         uint64_t trim_position, bool sealed, uint64_t max_queue_bytes)
    : strand_(boost::asio::make_strand(io)),
      storage_(std::move(storage_executor)),
      store_(store),
      key_(key),
      max_queue_bytes_(max_queue_bytes),
      assigned_(tail.next_position),
      next_(tail.next_position),
      last_arrival_(tail.last_arrival_ms),
      trim_(trim_position),
      sealed_(sealed) {
  sealing_ = sealed;
}

void shard_actor::seal() {
  boost::asio::post(strand_, [self = shared_from_this()] {
    self->sealing_ = true;
    self->seal_if_idle();
  });
}

void shard_actor::seal_if_idle() {
  if (!sealing_ || writing_ || !queue_.empty() || sealed_.load()) return;
  sealed_.store(true, std::memory_order_seq_cst);
  notify_listeners();  // subscribers at the end can now send ChildShards
}

void shard_actor::raise_trim_position(uint64_t p) {
  uint64_t cur = trim_.load(std::memory_order_acquire);
  while (p > cur && !trim_.compare_exchange_weak(cur, p, std::memory_order_acq_rel)) {
  }
}

void shard_actor::add_listener(append_listener* l) {
  std::lock_guard lock(listeners_mu_);
  listeners_.push_back(l);
}

void shard_actor::remove_listener(append_listener* l) {
  std::lock_guard lock(listeners_mu_);
  std::erase(listeners_, l);
}

size_t shard_actor::listener_count() {
  std::lock_guard lock(listeners_mu_);
  return listeners_.size();
}

void shard_actor::notify_listeners() {
  std::lock_guard lock(listeners_mu_);
  for (auto* l : listeners_) l->appended();
}

void shard_actor::append(std::vector<append_record> records, append_callback done,
                         std::vector<append_record>* returned) {
  boost::asio::post(strand_, [self = shared_from_this(), recs = std::move(records), cb = std::move(done),
                              returned]() mutable {
    if (self->sealing_) {
      if (returned) *returned = std::move(recs);
      cb(fail(storage::error{storage::errc::sealed, "the shard is closed"}));
      return;
    }
    uint64_t bytes = 0;
    for (const auto& r : recs) bytes += r.partition_key.size() + r.data.size() + storage::chunk_record_overhead;
    // One request is always taken when nothing waits, however large, so a limit below it cannot starve it.
    if (!self->queue_.empty() && self->queued_bytes_ + bytes > self->max_queue_bytes_) {
      self->probe_.throttle();
      cb(fail(storage::error{storage::errc::queue_full, "the shard's write queue is full"}));
      return;
    }
    self->queued_bytes_ += bytes;
    self->queue_.push_back({std::move(recs), std::move(cb)});
    if (!self->writing_) self->start_write();
  });
}

void shard_actor::start_write() {
  std::vector<pending> batch;
  size_t bytes = 0;
  size_t take = 0;
  while (take < queue_.size() && (take == 0 || bytes < kMaxChunkBytes)) {
    for (const auto& r : queue_[take].records) bytes += r.partition_key.size() + r.data.size() + storage::chunk_record_overhead;
    ++take;
  }
  queued_bytes_ -= std::min<uint64_t>(queued_bytes_, bytes);
  batch.reserve(take);
  for (size_t i = 0; i < take; ++i) batch.push_back(std::move(queue_[i]));
  queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(take));

  // Arrival times never go backwards within a shard, so the time index stays sorted by position too.
  const int64_t arrival = std::max(now_ms(), last_arrival_.load(std::memory_order_relaxed));
  storage::chunk_writer writer(arrival, bytes);
  for (const auto& p : batch) {
    for (const auto& r : p.records) {
      writer.add(r.partition_key, {reinterpret_cast<const char*>(r.data.data()), r.data.size()});
    }
  }
  const uint64_t first = assigned_;
  const uint32_t count = writer.count();
  assigned_ += count;
  writing_ = true;
  boost::asio::post(storage_, [self = shared_from_this(), chunk = writer.finish(), batch = std::move(batch), first,
                               count, arrival]() mutable {
    auto r = self->store_.append(self->key_, first, arrival, chunk, {first + count, arrival});
    boost::asio::post(self->strand_, [self, batch = std::move(batch), first, arrival, r = std::move(r)]() mutable {
      self->finish_write(std::move(batch), first, arrival, std::move(r));
    });
  });
}

void shard_actor::finish_write(std::vector<pending> batch, uint64_t first, int64_t arrival, storage::result<void> r) {
  writing_ = false;
  if (r.ok()) {
    uint64_t at = first;
    uint64_t bytes = 0;
    for (const auto& p : batch) {
      at += p.records.size();
      for (const auto& r : p.records) bytes += r.partition_key.size() + r.data.size();
    }
    appended_records_.fetch_add(at - first, std::memory_order_relaxed);
    appended_bytes_.fetch_add(bytes, std::memory_order_relaxed);
    last_arrival_.store(arrival, std::memory_order_release);
    next_.store(at, std::memory_order_seq_cst);  // seq_cst: pairs with a subscriber's armed flag
    notify_listeners();
    at = first;
    for (auto& p : batch) {
      p.done(append_ack{at, arrival});
      at += p.records.size();
    }
  } else {
    // Nothing of this chunk was stored: hand its positions out again.
    assigned_ = first;
    for (auto& p : batch) p.done(fail(r.error()));
  }
  if (!queue_.empty()) {
    start_write();
  } else {
    seal_if_idle();
  }
}

}  // namespace eddy::core
