#include "eddy/core/stream_registry.h"

#include "eddy/base/clock.h"
#include "eddy/base/log.h"
#include "eddy/base/random.h"
#include "eddy/core/sequence_number.h"
#include "eddy/core/stream_codec.h"
#include "eddy/storage/key_codec.h"

namespace eddy::core {

stream_registry::stream_registry(storage::log_store& store, registry_options opts, scheduler schedule)
    : store_(store), opts_(opts), schedule_(std::move(schedule)) {}

result<void> stream_registry::load() {
  auto rows = store_.meta_scan(storage::keys::stream_prefix());
  if (!rows) return make_error(errc::internal, "cannot read stream metadata: " + rows.error().detail);
  std::lock_guard lock(mu_);
  for (const auto& [k, v] : *rows) {
    // key: "stream/<account>/<region>/<name>"
    const std::string rest = k.substr(storage::keys::stream_prefix().size());
    const auto a = rest.find('/');
    const auto r = rest.find('/', a + 1);
    if (a == std::string::npos || r == std::string::npos) continue;
    const stream_scope scope{rest.substr(0, a), rest.substr(a + 1, r - a - 1)};
    auto s = decode_stream(scope, v);
    if (!s) {
      log::get("core")->error("skipping unreadable metadata under key {}", k);
      continue;
    }
    // A transition that a restart interrupted is finished now rather than re-timed.
    if (s->status == stream_status::deleting) {
      if (auto e = store_.meta_erase(k); !e) return make_error(errc::internal, e.error().detail);
      continue;
    }
    // A change that was UPDATING lands now, as it was going to (its shards were already reserved).
    const bool had_pending = !s->pending.empty();
    if (s->status == stream_status::updating && had_pending) {
      if (auto landed = decode_stream(scope, s->pending)) {
        s = std::move(landed);
      } else {
        log::get("core")->error("stream {}: unreadable pending change dropped", s->name);
      }
    }
    s->pending.clear();
    s->reserved_open_shards = 0;
    bool changed = had_pending || s->status != stream_status::active;
    s->status = stream_status::active;
    const auto before = s->consumers.size();
    std::erase_if(s->consumers, [](const consumer_meta& c) { return c.status == consumer_status::deleting; });
    changed = changed || before != s->consumers.size();
    for (auto& c : s->consumers) {
      changed = changed || c.status != consumer_status::active;
      c.status = consumer_status::active;
    }
    if (changed) {
      if (auto p = persist(*s); !p) return p;
    }
    key k2 = key_of(scope, s->name);  // before the move below: argument order is unspecified
    streams_.emplace(std::move(k2), std::make_shared<const stream_meta>(std::move(*s)));
  }
  log::get("core")->info("loaded {} stream(s)", streams_.size());
  return {};
}

error stream_registry::not_found(const stream_scope& scope, const std::string& name) const {
  return {errc::resource_not_found, "Stream " + name + " under account " + scope.account + " not found."};
}

result<void> stream_registry::persist(const stream_meta& s) {
  if (auto r = store_.meta_put(storage::keys::stream(s.scope.account, s.scope.region, s.name), encode_stream(s));
      !r) {
    return make_error(errc::internal, "cannot persist stream " + s.name + ": " + r.error().detail);
  }
  return {};
}

result<void> stream_registry::erase(const stream_meta& s) {
  // Records first: a crash in between leaves a stream without records, never records without a stream.
  if (auto r = store_.drop_stream(s.uid); !r) {
    return make_error(errc::internal, "cannot delete the records of stream " + s.name + ": " + r.error().detail);
  }
  if (auto r = store_.meta_erase(storage::keys::stream(s.scope.account, s.scope.region, s.name)); !r) {
    return make_error(errc::internal, "cannot delete stream " + s.name + ": " + r.error().detail);
  }
  return {};
}

result<void> stream_registry::publish(const key& k, stream_meta next) {
  if (auto p = persist(next); !p) return p;
  streams_[k] = std::make_shared<const stream_meta>(std::move(next));
  return {};
}

result<void> stream_registry::create_stream(const stream_scope& scope, create_stream_spec spec) {
  std::lock_guard lock(mu_);
  const key k = key_of(scope, spec.name);
  if (streams_.contains(k)) {
    return make_error(errc::resource_in_use,
                      "Stream " + spec.name + " under account " + scope.account + " already exists.");
  }
  if (spec.mode == stream_mode::provisioned && !spec.shard_count) {
    return make_error(errc::invalid_argument, "ShardCount is required for a stream in PROVISIONED mode.");
  }
  const int64_t shard_count =
      spec.mode == stream_mode::on_demand ? spec.shard_count.value_or(opts_.on_demand_initial_shards)
                                          : *spec.shard_count;

  const int64_t open_shards = limits_locked(scope).open_shard_count;  // with shards reserved by updates
  int64_t creating = 0;
  int64_t on_demand = 0;
  for (const auto& [key, s] : streams_) {
    if (std::get<0>(key) != scope.account || std::get<1>(key) != scope.region) continue;
    creating += s->status == stream_status::creating ? 1 : 0;
    on_demand += s->mode == stream_mode::on_demand ? 1 : 0;
  }
  if (open_shards + shard_count > opts_.shard_limit) {
    return make_error(
        errc::limit_exceeded,
        "This request would exceed the shard limit for the account " + scope.account + " in " + scope.region +
            ". Current shard count for the account: " + std::to_string(open_shards) +
            ". Limit: " + std::to_string(opts_.shard_limit) +
            ". Number of additional shards that would have resulted from this request: " +
            std::to_string(shard_count) +
            ". Shard limit increases can be requested by submitting a case to the AWS Support Center at "
            "https://aws.amazon.com/support/createCase?type=service_limit_increase&serviceLimitIncreaseType="
            "kinesis-limits.");
  }
  if (creating >= opts_.max_creating_streams) {
    return make_error(errc::limit_exceeded, "The account " + scope.account + " has reached the limit of " +
                                                std::to_string(opts_.max_creating_streams) +
                                                " streams in the CREATING state. Try again later.");
  }
  if (spec.mode == stream_mode::on_demand && on_demand >= opts_.on_demand_stream_limit) {
    return make_error(errc::limit_exceeded, "This request would exceed the on-demand stream count limit of " +
                                                std::to_string(opts_.on_demand_stream_limit) + " for the account " +
                                                scope.account + " in " + scope.region + ".");
  }

  stream_meta s;
  s.scope = scope;
  s.name = spec.name;
  s.mode = spec.mode;
  s.created_ms = now_ms();
  s.uid = random_u64();
  s.seq_salt = s.uid & salt_mask;
  s.tags = std::move(spec.tags);
  if (spec.max_record_size_kib) s.max_record_size_kib = *spec.max_record_size_kib;
  const bool delayed = !spec.at_once && opts_.create_delay.count() > 0;
  s.status = delayed ? stream_status::creating : stream_status::active;
  for (const auto& range : split_evenly(static_cast<uint32_t>(shard_count))) {
    s.shards.push_back({shard_index{s.next_shard_index++}, range, std::nullopt, std::nullopt, s.created_ms, std::nullopt});
  }
  log::get("core")->debug("created stream {} ({} shards) in {}/{}", s.name, shard_count, scope.account, scope.region);
  const int64_t created = s.created_ms;
  if (auto p = publish(k, std::move(s)); !p) return p;
  if (delayed) {
    schedule_(opts_.create_delay, [this, k, created] { finish_create(k, created); });
  }
  return {};
}

void stream_registry::finish_create(key k, int64_t created_ms) {
  std::lock_guard lock(mu_);
  auto it = streams_.find(k);
  if (it == streams_.end() || it->second->created_ms != created_ms || it->second->status != stream_status::creating) {
    return;
  }
  stream_meta next = *it->second;
  next.status = stream_status::active;
  if (auto p = publish(k, std::move(next)); !p) log::get("core")->error("{}", p.error().message);
}

result<void> stream_registry::delete_stream(const stream_scope& scope, const std::string& name,
                                            bool enforce_consumer_deletion) {
  std::lock_guard lock(mu_);
  const key k = key_of(scope, name);
  auto it = streams_.find(k);
  if (it == streams_.end()) return fail(not_found(scope, name));
  const stream_meta& s = *it->second;
  if (s.status == stream_status::deleting) {
    return make_error(errc::resource_in_use, "Stream " + name + " under account " + scope.account +
                                                 " is already being deleted.");
  }
  if (!s.consumers.empty() && !enforce_consumer_deletion) {
    return make_error(errc::resource_in_use,
                      "Stream " + name + " under account " + scope.account + " has " +
                          std::to_string(s.consumers.size()) +
                          " registered consumer(s); deregister them or set EnforceConsumerDeletion.");
  }
  if (opts_.delete_delay.count() == 0) {
    if (auto e = erase(s); !e) return e;
    streams_.erase(it);
    return {};
  }
  const int64_t created = s.created_ms;
  stream_meta next = s;
  next.status = stream_status::deleting;
  if (auto p = publish(k, std::move(next)); !p) return p;
  schedule_(opts_.delete_delay, [this, k, created] { finish_delete(k, created); });
  return {};
}

void stream_registry::finish_delete(key k, int64_t created_ms) {
  std::lock_guard lock(mu_);
  auto it = streams_.find(k);
  if (it == streams_.end() || it->second->created_ms != created_ms) return;
  if (auto e = erase(*it->second); !e) log::get("core")->error("{}", e.error().message);
  streams_.erase(it);
}

result<std::shared_ptr<const stream_meta>> stream_registry::get(const stream_scope& scope,
                                                                 const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = streams_.find(key_of(scope, name));
  if (it == streams_.end()) return fail(not_found(scope, name));
  return it->second;
}

std::vector<std::shared_ptr<const stream_meta>> stream_registry::list(const stream_scope& scope) const {
  std::lock_guard lock(mu_);
  std::vector<std::shared_ptr<const stream_meta>> out;
  for (auto it = streams_.lower_bound({scope.account, scope.region, ""});
       it != streams_.end() && std::get<0>(it->first) == scope.account && std::get<1>(it->first) == scope.region;
       ++it) {
    out.push_back(it->second);
  }
  return out;
}

std::vector<std::shared_ptr<const stream_meta>> stream_registry::all() const {
  std::lock_guard lock(mu_);
  std::vector<std::shared_ptr<const stream_meta>> out;
  out.reserve(streams_.size());
  for (const auto& [k, s] : streams_) out.push_back(s);
  return out;
}

result<consumer_meta> stream_registry::register_consumer(const stream_scope& scope, const std::string& stream,
                                                        const std::string& consumer, bool at_once) {
  std::lock_guard lock(mu_);
  const key k = key_of(scope, stream);
  auto it = streams_.find(k);
  if (it == streams_.end()) return fail(not_found(scope, stream));
  const stream_meta& s = *it->second;
  if (s.status != stream_status::active && s.status != stream_status::updating) {
    return make_error(errc::resource_in_use, "Stream " + stream + " under account " + scope.account + " is in " +
                                                 to_string(s.status) + " state.");
  }
  if (s.consumer(consumer)) {
    return make_error(errc::resource_in_use, "Consumer " + consumer + " under stream " + stream + " and account " +
                                                 scope.account + " already exists.");
  }
  if (s.consumers.size() >= opts_.max_consumers) {
    return make_error(errc::limit_exceeded, "Stream " + stream + " under account " + scope.account + " already has " +
                                                std::to_string(opts_.max_consumers) + " registered consumers.");
  }
  size_t creating = 0;
  for (const auto& c : s.consumers) creating += c.status == consumer_status::creating ? 1 : 0;
  if (creating >= opts_.max_creating_consumers) {
    return make_error(errc::limit_exceeded, "Stream " + stream + " under account " + scope.account + " already has " +
                                                std::to_string(creating) + " consumers in CREATING status.");
  }
  const bool delayed = !at_once && opts_.consumer_create_delay.count() > 0;
  consumer_meta c{consumer, now_ms(), delayed ? consumer_status::creating : consumer_status::active};
  stream_meta next = s;
  next.consumers.push_back(c);
  if (auto p = publish(k, std::move(next)); !p) return fail(std::move(p).error());
  if (delayed) {
    schedule_(opts_.consumer_create_delay,
              [this, k, consumer, created = c.created_ms] { finish_consumer(k, consumer, created, false); });
  }
  return c;
}

result<void> stream_registry::deregister_consumer(const stream_scope& scope, const std::string& stream,
                                                  const std::string& consumer) {
  std::lock_guard lock(mu_);
  const key k = key_of(scope, stream);
  auto it = streams_.find(k);
  if (it == streams_.end()) return fail(not_found(scope, stream));
  const consumer_meta* c = it->second->consumer(consumer);
  if (!c || c->status == consumer_status::deleting) {
    return make_error(errc::resource_not_found, "Consumer " + consumer + " under stream " + stream + " and account " +
                                                    scope.account + " not found.");
  }
  const int64_t created = c->created_ms;
  stream_meta next = *it->second;
  if (opts_.consumer_delete_delay.count() == 0) {
    std::erase_if(next.consumers, [&](const consumer_meta& m) { return m.name == consumer; });
    return publish(k, std::move(next));
  }
  for (auto& m : next.consumers) {
    if (m.name == consumer) m.status = consumer_status::deleting;
  }
  if (auto p = publish(k, std::move(next)); !p) return p;
  schedule_(opts_.consumer_delete_delay, [this, k, consumer, created] { finish_consumer(k, consumer, created, true); });
  return {};
}

void stream_registry::finish_consumer(key k, std::string consumer, int64_t created_ms, bool deleting) {
  std::lock_guard lock(mu_);
  auto it = streams_.find(k);
  if (it == streams_.end()) return;
  const consumer_meta* c = it->second->consumer(consumer);
  if (!c || c->created_ms != created_ms) return;
  stream_meta next = *it->second;
  if (deleting) {
    std::erase_if(next.consumers, [&](const consumer_meta& m) { return m.name == consumer; });
  } else {
    for (auto& m : next.consumers) {
      if (m.name == consumer && m.status == consumer_status::creating) m.status = consumer_status::active;
    }
  }
  if (auto p = publish(k, std::move(next)); !p) log::get("core")->error("{}", p.error().message);
}

result<void> stream_registry::publish_edit(const key& k, const stream_meta& before, stream_meta next) {
  std::vector<shard_index> closed;
  for (const auto& sh : before.shards) {
    const shard_meta* now = next.shard(sh.index);
    if (sh.open() && now && !now->open()) closed.push_back(sh.index);
  }
  const uint64_t uid = next.uid;
  if (auto p = publish(k, std::move(next)); !p) return p;
  if (on_closed_) {
    for (auto ix : closed) on_closed_(uid, ix);
  }
  return {};
}

result<void> stream_registry::update_stream(const stream_scope& scope, const std::string& name, stream_edit edit,
                                            bool transition) {
  std::lock_guard lock(mu_);
  const key k = key_of(scope, name);
  auto it = streams_.find(k);
  if (it == streams_.end()) return fail(not_found(scope, name));
  const stream_meta& s = *it->second;
  if (s.status != stream_status::active) {
    return make_error(errc::resource_in_use, "Stream " + name + " under account " + scope.account +
                                                 " not ACTIVE, instead in state " + to_string(s.status));
  }
  stream_meta next = s;
  if (auto r = edit(next, limits_locked(scope)); !r) return r;
  if (!transition || opts_.update_delay.count() == 0) return publish_edit(k, s, std::move(next));
  stream_meta updating = s;
  updating.status = stream_status::updating;
  next.status = stream_status::active;
  updating.pending = encode_stream(next);
  updating.reserved_open_shards = next.open_shard_count();
  const int64_t created = s.created_ms;
  if (auto p = publish(k, std::move(updating)); !p) return p;
  schedule_(opts_.update_delay, [this, k, created, edit = std::move(edit)] { finish_update(k, created, edit); });
  return {};
}

void stream_registry::finish_update(key k, int64_t created_ms, stream_edit edit) {
  std::lock_guard lock(mu_);
  auto it = streams_.find(k);
  if (it == streams_.end() || it->second->created_ms != created_ms || it->second->status != stream_status::updating) {
    return;
  }
  const stream_meta& s = *it->second;
  stream_meta next = s;
  next.status = stream_status::active;
  next.pending.clear();
  next.reserved_open_shards = 0;
  if (auto r = edit(next, limits_locked(s.scope, &k)); !r) {
    log::get("core")->warn("update of stream {} dropped: {}", s.name, r.error().message);
    next = s;
    next.status = stream_status::active;
    next.pending.clear();
    next.reserved_open_shards = 0;
  }
  if (auto p = publish_edit(k, s, std::move(next)); !p) log::get("core")->error("{}", p.error().message);
}

result<void> stream_registry::edit_stream(const stream_scope& scope, const std::string& name, const stream_edit& edit) {
  std::lock_guard lock(mu_);
  const key k = key_of(scope, name);
  auto it = streams_.find(k);
  if (it == streams_.end()) return fail(not_found(scope, name));
  const stream_meta& s = *it->second;
  if (s.status == stream_status::creating || s.status == stream_status::deleting) {
    return make_error(errc::resource_in_use, "Stream " + name + " under account " + scope.account + " is in " +
                                                 to_string(s.status) + " state.");
  }
  stream_meta next = s;
  if (auto r = edit(next, limits_locked(scope)); !r) return r;
  return publish_edit(k, s, std::move(next));
}

account_limits stream_registry::limits(const stream_scope& scope) const {
  std::lock_guard lock(mu_);
  return limits_locked(scope);
}

account_limits stream_registry::limits_locked(const stream_scope& scope, const key* landing) const {
  account_limits l{opts_.shard_limit, 0, 0, opts_.on_demand_stream_limit};
  for (auto it = streams_.lower_bound({scope.account, scope.region, ""});
       it != streams_.end() && std::get<0>(it->first) == scope.account && std::get<1>(it->first) == scope.region;
       ++it) {
    const uint32_t open = it->second->open_shard_count();
    const bool reserved = !(landing && *landing == it->first) && it->second->status == stream_status::updating;
    l.open_shard_count += reserved ? std::max(open, it->second->reserved_open_shards) : open;
    l.on_demand_stream_count += it->second->mode == stream_mode::on_demand ? 1 : 0;
  }
  return l;
}

}  // namespace eddy::core
