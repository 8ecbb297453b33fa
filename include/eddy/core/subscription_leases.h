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
#include <string>
#include <unordered_map>

namespace eddy::core {

class lease_holder {
 public:
  virtual void taken_over() = 0;

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
