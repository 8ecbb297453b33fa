#pragma once
// subscription_leases: which SubscribeToShard call holds each (consumer, shard). AWS allows one
// subscription per consumer and shard: a second call within 5 s of the holder's start is refused with
// ResourceInUseException; a later one takes the lease over and the holder is told to end.
//
// Thread safety: every method may be called from any thread (one mutex). taken_over() is called with
// the mutex released, on the thread of the call that took the lease over.
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace eddy::core {

// What /metrics shows of one live subscription (consumer_metrics.h).
struct subscription_sample {
  std::string account;
  std::string region;
  std::string stream;
  std::string consumer;
  std::string shard;  // the ShardId
  int64_t millis_behind = 0;  // the MillisBehindLatest of its last event
};

class lease_holder {
 public:
  virtual void taken_over() = 0;
  // The holder's labels and lag, read when /metrics is scraped: called on the scraping thread with the
  // leases' mutex held, so it must only read (atomics, or fields fixed at construction).
  virtual std::optional<subscription_sample> sample() const { return std::nullopt; }

 protected:
  ~lease_holder() = default;
};

class subscription_leases {
 public:
  static constexpr int64_t exclusive_ms = 5000;

  // Grants the lease on `key` to `holder` unless another live holder got it less than exclusive_ms ago.
  bool acquire(const std::string& key, int64_t now_ms, const std::shared_ptr<lease_holder>& holder);
  // Gives the lease back if `holder` still has it.
  void release(const std::string& key, const lease_holder* holder);
  size_t active() const;
  // One sample per live holder that has one, in no particular order.
  std::vector<subscription_sample> samples() const;

 private:
  struct lease {
    int64_t since_ms;
    std::weak_ptr<lease_holder> holder;
    const lease_holder* id;
  };
  mutable std::mutex mu_;
  std::unordered_map<std::string, lease> leases_;
};

}  // namespace eddy::core
