#include "eddy/core/stream_meta.h"

namespace eddy::core {

const char* to_string(stream_status s) {
  switch (s) {
    case stream_status::creating: return "CREATING";
    case stream_status::active: return "ACTIVE";
    case stream_status::updating: return "UPDATING";
    case stream_status::deleting: return "DELETING";
  }
  return "ACTIVE";
}

const char* to_string(stream_mode m) {
  switch (m) {
    case stream_mode::provisioned: return "PROVISIONED";
    case stream_mode::on_demand: return "ON_DEMAND";
  }
  return "PROVISIONED";
}

const char* to_string(consumer_status s) {
  switch (s) {
    case consumer_status::creating: return "CREATING";
    case consumer_status::active: return "ACTIVE";
    case consumer_status::deleting: return "DELETING";
  }
  return "ACTIVE";
}

const consumer_meta* stream_meta::consumer(const std::string& consumer_name) const {
  for (const auto& c : consumers) {
    if (c.name == consumer_name) return &c;
  }
  return nullptr;
}

std::string stream_meta::consumer_arn(const consumer_meta& c) const {
  return arn() + "/consumer/" + c.name + ":" + std::to_string(c.created_ms / 1000);
}

std::string stream_arn(const stream_scope& scope, const std::string& name) {
  return "arn:aws:kinesis:" + scope.region + ":" + scope.account + ":stream/" + name;
}

std::string stream_meta::arn() const { return stream_arn(scope, name); }

const shard_meta* stream_meta::shard(shard_index ix) const {
  // Shards are kept in index order and indexes are dense from 0.
  if (ix.get() < shards.size() && shards[ix.get()].index == ix) return &shards[ix.get()];
  for (const auto& s : shards) {
    if (s.index == ix) return &s;
  }
  return nullptr;
}

const shard_meta* stream_meta::route(u128 hash) const {
  for (const auto& s : shards) {
    if (s.open() && s.range.contains(hash)) return &s;
  }
  return nullptr;
}

uint32_t stream_meta::open_shard_count() const {
  uint32_t n = 0;
  for (const auto& s : shards) n += s.open() ? 1 : 0;
  return n;
}

}  // namespace eddy::core
