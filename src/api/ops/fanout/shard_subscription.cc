#include "shard_subscription.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "../../async_bridge.h"
#include "eddy/base/clock.h"
#include "eddy/codec/eventstream.h"
#include "eddy/codec/json_codec.h"
#include "eddy/core/sequence_number.h"
#include "eddy/core/shard_id.h"

namespace eddy::api::ops {
namespace {

namespace asio = boost::asio;
using codec::document;

// AWS sends an event at least this often, records or not, so clients can tell a quiet shard from a dead
// connection.
constexpr int64_t kHeartbeatMs = 5000;
// One event carries at most this much record data: a second of AWS's 2 MiB/s per-consumer rate.
constexpr size_t kMaxEventBytes = 2u << 20;
constexpr size_t kMaxEventRecords = 10000;
constexpr double kPaceBytesPerSecond = 2.0 * (1 << 20);

int64_t steady_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

shard_subscription::shard_subscription(asio::any_io_executor exec, core::stream_registry& registry,
                                       core::shard_directory& shards, std::shared_ptr<core::subscription_leases> leases,
                                       std::shared_ptr<core::shard_actor> actor, subscription_target target,
                                       uint64_t start_position, int64_t lifetime_ms, bool paced)
    : exec_(exec),
      registry_(registry),
      shards_(shards),
      leases_(std::move(leases)),
      actor_(std::move(actor)),
      target_(std::move(target)),
      timer_(exec),
      position_(start_position),
      deadline_ms_(now_ms() + lifetime_ms) {
  if (paced) pace_.emplace();
}

shard_subscription::~shard_subscription() { finish(); }

void shard_subscription::finish() {
  // Given back as soon as the stream ends, not when the transport lets go of the object, so a client
  // that resubscribes the moment it sees the end is not refused.
  actor_->remove_listener(this);
  leases_->release(target_.lease_key, this);
}

void shard_subscription::start() { actor_->add_listener(this); }

void shard_subscription::appended() {
  if (!armed_.exchange(false)) return;
  asio::post(exec_, [w = weak_from_this()] {
    if (auto self = w.lock()) self->wake();
  });
}

std::optional<core::subscription_sample> shard_subscription::sample() const {
  return core::subscription_sample{target_.scope.account, target_.scope.region, target_.stream_name,
                                   target_.consumer_name, core::format_shard_id(target_.shard),
                                   millis_behind_.load(std::memory_order_relaxed)};
}

void shard_subscription::taken_over() {
  asio::post(exec_, [w = weak_from_this()] {
    if (auto self = w.lock()) {
      self->taken_over_ = true;
      self->wake();
    }
  });
}

void shard_subscription::wake() { timer_.cancel(); }

void shard_subscription::cancel() {
  cancelled_ = true;
  finish();
  timer_.cancel();
}

std::string shard_subscription::event(const document& body) {
  return codec::eventstream::event_frame("SubscribeToShardEvent", codec::json::encode(body));
}

asio::awaitable<std::optional<std::string>> shard_subscription::next() {
  if (!started_) {
    started_ = true;
    last_event_ms_ = now_ms();
    co_return codec::eventstream::event_frame("initial-response", "{}");
  }
  while (!done_ && !cancelled_) {
    if (taken_over_) {
      done_ = true;
      co_return codec::eventstream::exception_frame("ResourceInUseException",
                                                    codec::json::encode({{"message", target_.in_use_message}}));
    }
    const int64_t now = now_ms();
    if (now >= deadline_ms_) break;

    // The consumer (or its stream) may have been deregistered since the last event.
    auto stream = registry_.get(target_.scope, target_.stream_name);
    const core::consumer_meta* c = stream && (*stream)->uid == target_.stream_uid
                                       ? (*stream)->consumer(target_.consumer_name)
                                       : nullptr;
    if (!c || c->created_ms != target_.consumer_created_ms || c->status != core::consumer_status::active) {
      done_ = true;
      co_return codec::eventstream::exception_frame(
          "ResourceNotFoundException",
          codec::json::encode({{"message", "Consumer " + target_.consumer_name + " under stream " + target_.stream_name +
                                               " and account " + target_.scope.account + " not found."}}));
    }
    if (pace_) {
      const int64_t debt_ns = pace_->ns_until_solvent(kPaceBytesPerSecond, steady_now_ns());
      if (debt_ns > 0) {
        timer_.expires_after(std::chrono::nanoseconds(debt_ns));
        co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
        continue;
      }
    }
    std::optional<std::string> ready = co_await poll(**stream, now);
    if (ready) co_return ready;

    // Nothing to send yet: sleep until an append (or a seal), the next heartbeat or the end of the
    // lifetime. The armed flag is raised before the tip is re-read, and an append stores the tip before it reads the flag, so
    // an append can never fall between the two unnoticed.
    armed_.store(true);
    // A seal also notifies listeners; if it slipped in after poll() looked, go round again now.
    if (actor_->next_position() > position_ || actor_->sealed()) {
      armed_.store(false);
      continue;
    }
    const int64_t wait_ms = std::max<int64_t>(1, std::min(last_event_ms_ + kHeartbeatMs, deadline_ms_) - now);
    timer_.expires_after(std::chrono::milliseconds(wait_ms));
    co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    armed_.store(false);
  }
  done_ = true;
  finish();
  co_return std::nullopt;
}

asio::awaitable<std::optional<std::string>> shard_subscription::poll(const core::stream_meta& s, int64_t now) {
  position_ = std::max(position_, actor_->trim_position());
  const core::shard_meta* shard = s.shard(target_.shard);
  const bool closed = shard && !shard->open();

  document records = document::array();
  int64_t behind = 0;
  uint64_t record_count = 0;
  uint64_t record_bytes = 0;
  if (position_ < actor_->next_position()) {
    const int64_t cutoff = now - int64_t{s.retention_hours} * 3'600'000;
    offload_job<storage::result<core::read_batch>> read{
        shards_.storage_executor(),
        [&dir = shards_, a = actor_.get(), from = position_, cutoff] {
          return dir.read(*a, from, kMaxEventRecords, kMaxEventBytes, cutoff);
        },
        {}};
    co_await run(read);
    auto& batch = *read.result;
    if (!batch) {
      done_ = true;
      co_return codec::eventstream::exception_frame("InternalFailureException",
                                                    codec::json::encode({{"message", batch.error().detail}}));
    }
    records = records_document(s, target_.shard, batch->records);
    record_count = batch->records.size();
    record_bytes = batch->bytes;
    position_ = std::max(position_, batch->next_position);
    if (!batch->records.empty() && position_ < actor_->next_position()) {
      behind = std::max<int64_t>(0, now - batch->records.back().arrival_ms);
    }
  }
  const bool at_end = closed && actor_->sealed() && position_ >= actor_->next_position();
  if (record_count == 0 && !at_end && now - last_event_ms_ < kHeartbeatMs) co_return std::nullopt;

  document out = document::object();
  out["Records"] = std::move(records);
  if (at_end) {
    // KCL reaches SHARD_END on a null continuation with the children listed.
    out["ChildShards"] = child_shards_document(s, target_.shard);
    done_ = true;
  } else {
    const uint64_t last = position_ > 0 ? position_ - 1 : 0;
    out["ContinuationSequenceNumber"] =
        core::format_sequence_number({target_.seq_salt, target_.shard, core::position{last}});
  }
  out["MillisBehindLatest"] = behind;
  last_event_ms_ = now;
  if (pace_) pace_->spend(static_cast<double>(record_bytes), kPaceBytesPerSecond, steady_now_ns());
  actor_->probe().read(record_count, record_bytes, behind);
  millis_behind_.store(behind, std::memory_order_relaxed);
  co_return event(out);
}

}  // namespace eddy::api::ops
