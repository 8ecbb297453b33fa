#include "throughput_limits.h"

#include <prometheus/family.h>

#include <algorithm>

namespace eddy::api {
namespace {

constexpr double kMiB = 1024.0 * 1024.0;
constexpr double kWriteRecords = 1000;
constexpr double kWriteBytes = 1 * kMiB;
constexpr double kReadCalls = 5;
constexpr double kReadBytes = 2 * kMiB;
constexpr double kIterators = 5;

struct call_limit {
  std::string_view operation;
  double per_second;
  bool per_stream;  // AWS counts it per stream rather than per account
};

// AWS's documented control-plane limits (Kinesis Data Streams quotas, and the API reference of each call).
constexpr call_limit kControlPlane[] = {
    {"AddTagsToStream", 5, false},       {"CreateStream", 5, false},
    {"DeleteStream", 5, false},          {"DeregisterStreamConsumer", 5, false},
    {"DescribeLimits", 1, false},        {"DescribeStream", 10, false},
    {"DescribeStreamConsumer", 20, true}, {"DescribeStreamSummary", 20, false},
    {"ListShards", 1000, true},          {"ListStreamConsumers", 5, true},
    {"ListStreams", 5, false},           {"ListTagsForStream", 5, false},
    {"MergeShards", 5, false},           {"RegisterStreamConsumer", 5, true},
    {"RemoveTagsFromStream", 5, false},  {"SplitShard", 5, false},
    {"UpdateShardCount", 10, false},
};

int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

void token_bucket::refill(double rate, int64_t now_ns) {
  if (fresh_) {
    fresh_ = false;
    tokens_ = rate;
  } else if (now_ns > last_ns_) {
    tokens_ = std::min(rate, tokens_ + rate * static_cast<double>(now_ns - last_ns_) * 1e-9);
  }
  last_ns_ = std::max(last_ns_, now_ns);
}

bool token_bucket::take(double n, double rate, int64_t now_ns) {
  refill(rate, now_ns);
  if (tokens_ < n) return false;
  tokens_ -= n;
  return true;
}

bool token_bucket::solvent(double rate, int64_t now_ns) {
  refill(rate, now_ns);
  return tokens_ >= 0;
}

void token_bucket::spend(double n, double rate, int64_t now_ns) {
  refill(rate, now_ns);
  tokens_ -= n;
}

int64_t token_bucket::ns_until_solvent(double rate, int64_t now_ns) {
  refill(rate, now_ns);
  return tokens_ >= 0 ? 0 : static_cast<int64_t>(-tokens_ / rate * 1e9) + 1;
}

throughput_limits::throughput_limits(clock_fn now)
    : now_(now ? std::move(now) : clock_fn(steady_ns)), registry_(std::make_shared<prometheus::Registry>()) {
  refused_ = &prometheus::BuildCounter()
                  .Name("eddy_limits_refused_total")
                  .Help("Calls, or records of PutRecords, refused by --enforce-limits, by operation and limit")
                  .Register(*registry_);
}

throughput_limits::shard_buckets& throughput_limits::shard(uint64_t uid, core::shard_index ix) {
  return shards_[(uid << 32) | ix.get()];
}

void throughput_limits::refused(std::string_view operation, const char* limit) {
  refused_->Add({{"operation", std::string(operation)}, {"limit", limit}}).Increment();
}

bool throughput_limits::admit_write(uint64_t uid, core::shard_index ix, size_t bytes, std::string_view operation) {
  return admit_write(uid, ix, bytes, operation, now_());
}

bool throughput_limits::admit_write(uint64_t uid, core::shard_index ix, size_t bytes, std::string_view operation,
                                    int64_t now) {
  std::lock_guard lock(mu_);
  auto& b = shard(uid, ix);
  // Both limits must have room before either is charged, so a refused record costs nothing.
  if (!b.write_records.take(1, kWriteRecords, now)) {
    refused(operation, "shard_write_records");
    return false;
  }
  if (!b.write_bytes.take(static_cast<double>(bytes), kWriteBytes, now)) {
    b.write_records.spend(-1, kWriteRecords, now);  // give the record token back
    refused(operation, "shard_write_bytes");
    return false;
  }
  return true;
}

bool throughput_limits::admit_read(uint64_t uid, core::shard_index ix) {
  const int64_t now = now_();
  std::lock_guard lock(mu_);
  auto& b = shard(uid, ix);
  if (!b.read_bytes.solvent(kReadBytes, now)) {
    refused("GetRecords", "shard_read_bytes");
    return false;
  }
  if (!b.read_calls.take(1, kReadCalls, now)) {
    refused("GetRecords", "shard_read_calls");
    return false;
  }
  return true;
}

void throughput_limits::charge_read(uint64_t uid, core::shard_index ix, size_t bytes) {
  const int64_t now = now_();
  std::lock_guard lock(mu_);
  shard(uid, ix).read_bytes.spend(static_cast<double>(bytes), kReadBytes, now);
}

bool throughput_limits::admit_iterator(uint64_t uid, core::shard_index ix) {
  const int64_t now = now_();
  std::lock_guard lock(mu_);
  if (shard(uid, ix).iterators.take(1, kIterators, now)) return true;
  refused("GetShardIterator", "shard_iterators");
  return false;
}

bool throughput_limits::admit_call(std::string_view operation, std::string_view account, std::string_view stream) {
  const auto* limit = std::find_if(std::begin(kControlPlane), std::end(kControlPlane),
                                   [&](const call_limit& l) { return l.operation == operation; });
  if (limit == std::end(kControlPlane)) return true;
  std::string key(operation);
  key.append("/").append(account);
  if (limit->per_stream) key.append("/").append(stream);
  const int64_t now = now_();
  std::lock_guard lock(mu_);
  auto it = calls_.find(key);
  if (it == calls_.end()) it = calls_.emplace(std::move(key), token_bucket{}).first;
  if (it->second.take(1, limit->per_second, now)) return true;
  refused(operation, "control_plane_tps");
  return false;
}

}  // namespace eddy::api
