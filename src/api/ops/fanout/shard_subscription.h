#pragma once
// shard_subscription: one SubscribeToShard response, produced event by event as the transport pulls.
//
// Wire: a sequence of application/vnd.amazon.eventstream messages (layout in eddy/codec/eventstream.h):
//   1. event initial-response, payload {}
//   2. event SubscribeToShardEvent, payload {"Records":[...], "ContinuationSequenceNumber":"...",
//      "MillisBehindLatest":n}, sent as soon as records are appended and at least every 5 s when idle;
//      at the end of a closed shard the last one carries ChildShards and no ContinuationSequenceNumber
//   3. exception ResourceInUseException (taken over) or ResourceNotFoundException (consumer or stream
//      gone), ending the stream; a clean end (lifetime over) is just the end of the body.
//
// Executors: next(), cancel() and all members run on the connection's strand (`exec`). appended() runs
// on the shard actor's strand and taken_over() on another connection's; both only post a wake-up here.
// sample() runs on the /metrics scraper's thread and reads only target_ and an atomic.
//
// Pace: with --enforce-limits, record data leaves at AWS's 2 MiB/s per consumer and shard (a burst of a
// few MiB, then events wait); without it, as fast as the transport pulls.
//
// Memory: one event (at most kMaxEventBytes of record data) exists at a time, and only when the
// transport asks for it; a consumer that stops reading simply stops pulling, and later reads from
// storage where it left off.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>

#include "../../throughput_limits.h"
#include "../common.h"
#include "eddy/core/subscription_leases.h"

namespace eddy::api::ops {

struct subscription_target {
  core::stream_scope scope;
  std::string stream_name;
  uint64_t stream_uid;
  uint64_t seq_salt;
  core::shard_index shard;
  std::string consumer_name;
  int64_t consumer_created_ms;
  std::string lease_key;
  std::string in_use_message;  // ResourceInUseException's text, when another call takes over
};

class shard_subscription final : public body_stream,
                                 public core::append_listener,
                                 public core::lease_holder,
                                 public std::enable_shared_from_this<shard_subscription> {
 public:
  shard_subscription(boost::asio::any_io_executor exec, core::stream_registry& registry, core::shard_directory& shards,
                     std::shared_ptr<core::subscription_leases> leases, std::shared_ptr<core::shard_actor> actor,
                     subscription_target target, uint64_t start_position, int64_t lifetime_ms,
                     bool paced = false);
  ~shard_subscription() override;

  // Registers with the shard actor; call once the object is owned by a shared_ptr.
  void start();

  boost::asio::awaitable<std::optional<std::string>> next() override;
  void cancel() override;
  void appended() override;
  void taken_over() override;
  std::optional<core::subscription_sample> sample() const override;

 private:
  void wake();    // on exec_
  void finish();  // stops listening and gives the lease back; idempotent
  // The next SubscribeToShardEvent, or nullopt when nothing is ready yet.
  boost::asio::awaitable<std::optional<std::string>> poll(const core::stream_meta& s, int64_t now);
  std::string event(const codec::document& body);

  boost::asio::any_io_executor exec_;
  core::stream_registry& registry_;
  core::shard_directory& shards_;
  std::shared_ptr<core::subscription_leases> leases_;
  std::shared_ptr<core::shard_actor> actor_;
  const subscription_target target_;
  boost::asio::steady_timer timer_;

  uint64_t position_;  // the next position to deliver
  int64_t deadline_ms_;
  int64_t last_event_ms_ = 0;
  bool started_ = false;
  bool done_ = false;
  bool cancelled_ = false;
  bool taken_over_ = false;
  std::atomic<bool> armed_{false};  // waiting for an append; appended() clears it and posts a wake-up
  // --enforce-limits: AWS's 2 MiB/s per consumer and shard. Events wait while it is in debt.
  std::optional<token_bucket> pace_;
  std::atomic<int64_t> millis_behind_{0};  // of the last event, for /metrics (sample() reads it elsewhere)
};

}  // namespace eddy::api::ops
