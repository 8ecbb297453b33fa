#pragma once
// throughput_limits: AWS's per-shard and per-account rate limits, enforced when --enforce-limits is on, so
// that producers and consumers meet ProvisionedThroughputExceededException and LimitExceededException
// where AWS would send them (docs/limits.md). Off by default: an emulator that throttles surprises people.
//
// Each limit is a token bucket holding at most one second of its rate, so a burst of up to the per-second
// limit passes and a steady rate above it does not:
//   writes, per shard     1,000 records/s and 1 MiB/s (data plus partition key), per record
//   reads, per shard      5 GetRecords/s, and 2 MiB/s: a reply may overdraw the bytes, and the shard's reads
//                         are then refused until the debt is paid (a 10 MiB reply blocks it for about 5 s)
//   GetShardIterator      5/s per shard
//   SubscribeToShard      2 MiB/s per consumer and shard: not refused but paced, as AWS paces an event stream
//                         (shard_subscription owns that bucket)
//   control plane         per account (and per stream where AWS counts so): CreateStream 5/s, DescribeStream
//                         10/s, DescribeStreamSummary 20/s, DescribeLimits 1/s, ListShards 1,000/s per stream,
//                         and so on (kControlPlane in the .cc)
//
// Thread safety: every method may be called from any executor; one mutex guards the buckets (only taken
// when the limits are on). Lifecycle: owned by the request pipeline.
#include <prometheus/collectable.h>
#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "eddy/core/shard_id.h"

namespace eddy::api {

// A bucket of `rate` tokens per second holding at most one second's worth. Not thread safe.
class token_bucket {
 public:
  // Takes n tokens if there are that many.
  bool take(double n, double rate, int64_t now_ns);
  // Whether the bucket is not in debt.
  bool solvent(double rate, int64_t now_ns);
  // Takes n tokens even if that leaves a debt.
  void spend(double n, double rate, int64_t now_ns);
  // How long until the bucket is out of debt (0: it is not in debt).
  int64_t ns_until_solvent(double rate, int64_t now_ns);

 private:
  void refill(double rate, int64_t now_ns);
  double tokens_ = -1;  // < 0 before the first use: the bucket starts full
  bool fresh_ = true;
  int64_t last_ns_ = 0;
};

class throughput_limits {
 public:
  using clock_fn = std::function<int64_t()>;  // nanoseconds, monotonic
  explicit throughput_limits(clock_fn now = {});

  // The limits' clock, read once by a call that charges several records (PutRecords).
  int64_t now() const { return now_(); }
  // One record of `bytes` (data and partition key) into a shard; false: refused. `at`: the instant of the
  // request (now(), read once before its records), so that a request processed slowly does not earn
  // refills between its own records; without it, the clock is read now.
  bool admit_write(uint64_t stream_uid, core::shard_index shard, size_t bytes, std::string_view operation);
  bool admit_write(uint64_t stream_uid, core::shard_index shard, size_t bytes, std::string_view operation,
                   int64_t at);
  // A GetRecords call on a shard; false: refused. charge_read() then counts what it returned.
  bool admit_read(uint64_t stream_uid, core::shard_index shard);
  void charge_read(uint64_t stream_uid, core::shard_index shard, size_t bytes);
  // A GetShardIterator call on a shard.
  bool admit_iterator(uint64_t stream_uid, core::shard_index shard);
  // A control-plane call of `operation` by `account` (about `stream`, for limits AWS counts per stream);
  // operations without a limit always pass.
  bool admit_call(std::string_view operation, std::string_view account, std::string_view stream);

  // eddy_limits_refused_total{operation,limit}, for /metrics.
  std::shared_ptr<prometheus::Collectable> collectable() const { return registry_; }

 private:
  struct shard_buckets {
    token_bucket write_records, write_bytes, read_calls, read_bytes, iterators;
  };
  shard_buckets& shard(uint64_t uid, core::shard_index ix);
  void refused(std::string_view operation, const char* limit);

  clock_fn now_;
  std::mutex mu_;
  std::unordered_map<uint64_t, shard_buckets> shards_;  // key: stream uid << 32 | shard index
  std::map<std::string, token_bucket, std::less<>> calls_;    // key: operation / account [/ stream]
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>* refused_;
};

}  // namespace eddy::api
