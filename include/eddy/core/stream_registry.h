#pragma once
// stream_registry: the source of truth for which streams exist, their shards and states.
//
// Lifecycle: built by the application after storage opens; load() reads every stream back; stop() before
// storage closes. Thread safety: all methods are safe from any thread. One mutex serialises them: the
// control plane is rate-limited by AWS to a few calls per second, each is short, and a write to storage
// inside the lock is what keeps the persisted order equal to the applied order. State transitions after a
// delay (CREATING -> ACTIVE, DELETING -> gone) run from the injected scheduler, under the same mutex.
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "eddy/core/errc.h"
#include "eddy/core/stream_meta.h"
#include "eddy/storage/log_store.h"

namespace eddy::core {

struct registry_options {
  std::chrono::milliseconds create_delay{0};
  std::chrono::milliseconds delete_delay{0};
  std::chrono::milliseconds update_delay{0};
  int64_t shard_limit = 500;
  int64_t on_demand_stream_limit = 50;
  uint32_t on_demand_initial_shards = 4;
  int max_creating_streams = 5;
  std::chrono::milliseconds consumer_create_delay{0};
  std::chrono::milliseconds consumer_delete_delay{0};
  size_t max_consumers = 20;           // per stream
  size_t max_creating_consumers = 5;   // per stream, at once
};

// Runs `fn` once after `delay` on some executor; the application supplies it (an Asio timer).
using scheduler = std::function<void(std::chrono::milliseconds delay, std::function<void()> fn)>;

struct account_limits {
  int64_t shard_limit;
  int64_t open_shard_count;
  int64_t on_demand_stream_count;
  int64_t on_demand_stream_count_limit;
};

// An edit of one stream's metadata. It validates against `next` (a copy of the current snapshot) and
// the account's totals, and changes `next`; an error leaves the stream untouched and is the answer.
using stream_edit = std::function<result<void>(stream_meta& next, const account_limits& account)>;

// Told, with the registry's lock held, that a reshard closed a shard: the shard's writer must stop
// taking appends. The new metadata is already published when this runs.
using shard_closed_hook = std::function<void(uint64_t stream_uid, shard_index shard)>;

struct create_stream_spec {
  std::string name;
  std::optional<int64_t> shard_count;
  stream_mode mode = stream_mode::provisioned;
  std::map<std::string, std::string> tags;
  std::optional<int> max_record_size_kib;
  bool at_once = false;  // ACTIVE now, whatever options().create_delay says (streams made at start-up)
};

class stream_registry {
 public:
  stream_registry(storage::log_store& store, registry_options opts, scheduler schedule);

  result<void> load();

  result<void> create_stream(const stream_scope& scope, create_stream_spec spec);
  result<void> delete_stream(const stream_scope& scope, const std::string& name, bool enforce_consumer_deletion);
  // The stream as it is now, in any state: an immutable snapshot, cheap to take on every call.
  result<std::shared_ptr<const stream_meta>> get(const stream_scope& scope, const std::string& name) const;
  // Every stream of the scope, in name order.
  std::vector<std::shared_ptr<const stream_meta>> list(const stream_scope& scope) const;
  account_limits limits(const stream_scope& scope) const;

  // Enhanced fan-out consumers of a stream.
  // `at_once`: ACTIVE now, whatever options().consumer_create_delay says (consumers made at start-up).
  result<consumer_meta> register_consumer(const stream_scope& scope, const std::string& stream,
                                          const std::string& consumer, bool at_once = false);
  result<void> deregister_consumer(const stream_scope& scope, const std::string& stream, const std::string& consumer);
  // Applies `edit` to an ACTIVE stream. With `transition` the stream shows UPDATING for
  // options().update_delay first, and the edit is applied again, to the snapshot of that moment, when it
  // returns to ACTIVE. Meanwhile the shards the edit will open count against the account's limit, and the
  // edited metadata is persisted too, so a restart during UPDATING lands it at once.
  result<void> update_stream(const stream_scope& scope, const std::string& name, stream_edit edit, bool transition);
  // Applies `edit` to a stream in any state but CREATING and DELETING, at once (tags, policies...).
  result<void> edit_stream(const stream_scope& scope, const std::string& name, const stream_edit& edit);
  void on_shard_closed(shard_closed_hook hook) { on_closed_ = std::move(hook); }

  // Every stream of every scope (for background workers).
  std::vector<std::shared_ptr<const stream_meta>> all() const;

  const registry_options& options() const { return opts_; }

 private:
  using key = std::tuple<std::string, std::string, std::string>;  // account, region, name
  static key key_of(const stream_scope& scope, const std::string& name) { return {scope.account, scope.region, name}; }

  result<void> persist(const stream_meta& s);
  result<void> erase(const stream_meta& s);
  // Replaces the stream's snapshot with `next` after persisting it.
  result<void> publish(const key& k, stream_meta next);
  void finish_create(key k, int64_t created_ms);
  void finish_delete(key k, int64_t created_ms);
  void finish_consumer(key k, std::string consumer, int64_t created_ms, bool deleting);
  void finish_update(key k, int64_t created_ms, stream_edit edit);
  // Publishes an edited snapshot and tells the hook about shards the edit closed.
  result<void> publish_edit(const key& k, const stream_meta& before, stream_meta next);
  error not_found(const stream_scope& scope, const std::string& name) const;
  // `landing`: the stream whose pending change is being applied counts with its current shards, not
  // with the room it reserved for that change.
  account_limits limits_locked(const stream_scope& scope, const key* landing = nullptr) const;

  storage::log_store& store_;
  registry_options opts_;
  scheduler schedule_;
  mutable std::mutex mu_;
  std::map<key, std::shared_ptr<const stream_meta>> streams_;
  shard_closed_hook on_closed_;
};

}  // namespace eddy::core
