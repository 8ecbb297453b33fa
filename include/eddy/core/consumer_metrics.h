#pragma once
// consumer_metrics: the per-consumer family of /metrics, computed when scraped from the live
// SubscribeToShard subscriptions (subscription_leases.h).
//
//   eddy_consumer_iterator_age_seconds{account, region, stream, consumer, shard}
//       MillisBehindLatest of the subscription's last event, in seconds: one series per live
//       subscription, so the series of a consumer are also its subscriptions per shard
//
// Why beside eddy_shard_iterator_age_seconds: that one is the shard's last reader, whoever it was; with
// several consumers on a shard only this tells which of them lags.
//
// Thread safety: Collect() may run on any thread; it takes the leases' mutex once. Lifecycle: shares the
// leases with the pipeline and the subscriptions.
#include <prometheus/collectable.h>

#include <memory>

#include "eddy/core/subscription_leases.h"

namespace eddy::core {

class consumer_metrics final : public prometheus::Collectable {
 public:
  explicit consumer_metrics(std::shared_ptr<const subscription_leases> leases) : leases_(std::move(leases)) {}

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  std::shared_ptr<const subscription_leases> leases_;
};

}  // namespace eddy::core
