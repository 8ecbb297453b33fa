#pragma once
// A stream's metadata: what DescribeStream shows and what the registry persists.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "eddy/core/hash_range.h"
#include "eddy/core/shard_id.h"

namespace eddy::core {

// Streams are isolated per (account, region): the caller's SigV4 scope picks one.
struct stream_scope {
  std::string account;
  std::string region;
  friend auto operator<=>(const stream_scope&, const stream_scope&) = default;
};

enum class stream_status { creating, active, updating, deleting };
enum class stream_mode { provisioned, on_demand };

const char* to_string(stream_status s);
const char* to_string(stream_mode m);

struct shard_meta {
  shard_index index;
  hash_range range;
  std::optional<shard_index> parent;
  std::optional<shard_index> adjacent_parent;
  int64_t created_ms = 0;
  std::optional<int64_t> closed_ms;  // set when a reshard closes the shard
  bool open() const { return !closed_ms.has_value(); }
};

// An enhanced fan-out consumer: registered on a stream, named, with its own ARN per registration.
enum class consumer_status { creating, active, deleting };
const char* to_string(consumer_status s);

struct consumer_meta {
  std::string name;
  int64_t created_ms = 0;
  consumer_status status = consumer_status::creating;
  std::map<std::string, std::string> tags;  // TagResource on the consumer's ARN
  std::string policy;                       // PutResourcePolicy on the consumer's ARN; empty: none
};

struct stream_meta {
  stream_scope scope;
  std::string name;
  stream_status status = stream_status::creating;
  stream_mode mode = stream_mode::provisioned;
  int64_t created_ms = 0;
  int retention_hours = 24;
  uint64_t uid = 0;       // unique per stream instance: its records' storage key prefix
  uint64_t seq_salt = 0;  // see sequence_number.h
  uint32_t next_shard_index = 0;
  int max_record_size_kib = 1024;
  std::string encryption_type = "NONE";
  std::string key_id;
  std::vector<std::string> shard_level_metrics;
  std::map<std::string, std::string> tags;
  std::vector<shard_meta> shards;  // in index order
  std::vector<consumer_meta> consumers;  // in registration order
  std::string policy;  // PutResourcePolicy: stored, never enforced; empty: none
  // On-demand only: UpdateStreamWarmThroughput's target, and the throughput reached once UPDATING ends.
  std::optional<int> warm_throughput_target_mibps;
  std::optional<int> warm_throughput_current_mibps;
  bool auto_distribution = false;  // RecordDistributionStrategy AUTO (on-demand only); else USER_PARTITION_KEY
  std::vector<int64_t> scaling_ms;        // UpdateShardCount calls in the last 24 hours
  // While UPDATING: the metadata the change will land as (encode_stream), so that a restart can finish it,
  // and its open-shard count, which the account's shard limit already counts.
  std::string pending;
  uint32_t reserved_open_shards = 0;

  std::string arn() const;
  uint32_t open_shard_count() const;
  // The shard with this index, or nullptr.
  const shard_meta* shard(shard_index ix) const;
  // The open shard whose hash range holds `hash`, or nullptr (never, while open shards cover the space).
  const shard_meta* route(u128 hash) const;
  const consumer_meta* consumer(const std::string& name) const;
  // <stream ARN>/consumer/<name>:<creation epoch seconds>: a re-registered consumer gets a new ARN.
  std::string consumer_arn(const consumer_meta& c) const;
};

std::string stream_arn(const stream_scope& scope, const std::string& name);

}  // namespace eddy::core
