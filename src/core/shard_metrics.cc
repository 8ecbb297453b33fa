#include "eddy/core/shard_metrics.h"

#include "eddy/metrics/scrape_family.h"

namespace eddy::core {

std::vector<prometheus::MetricFamily> shard_metrics::Collect() const {
  using prometheus::MetricType;
  metrics::scrape_family in_records(
      "eddy_shard_incoming_records_total",
      "Records appended to the shard (acknowledged to their producer)", MetricType::Counter);
  metrics::scrape_family in_bytes("eddy_shard_incoming_bytes_total",
                                  "Data and partition key bytes appended to the shard",
                                  MetricType::Counter);
  metrics::scrape_family out_records(
      "eddy_shard_outgoing_records_total",
      "Records delivered from the shard by GetRecords and SubscribeToShard", MetricType::Counter);
  metrics::scrape_family out_bytes(
      "eddy_shard_outgoing_bytes_total",
      "Data and partition key bytes delivered from the shard by GetRecords and "
      "SubscribeToShard",
      MetricType::Counter);
  metrics::scrape_family age(
      "eddy_shard_iterator_age_seconds",
      "MillisBehindLatest of the shard's last GetRecords answer or SubscribeToShard event, "
      "in seconds",
      MetricType::Gauge);
  metrics::scrape_family throttled(
      "eddy_shard_throttled_total",
      "Calls on the shard refused for coming too soon (SubscribeToShard within 5 s of "
      "the current subscription's start); Eddy sets no throughput limits",
      MetricType::Counter);
  metrics::scrape_family subscribers(
      "eddy_shard_subscribers", "SubscribeToShard streams open on the shard", MetricType::Gauge);
  metrics::scrape_family stored("eddy_shard_stored_bytes",
                                "Storage's estimate of the bytes the shard's records take",
                                MetricType::Gauge);

  for (const auto& s : registry_.all()) {
    for (const auto& shard : s->shards) {
      const std::vector<prometheus::ClientMetric::Label> labels{
          {"account", s->scope.account},
          {"region", s->scope.region},
          {"stream", s->name},
          {"shard", format_shard_id(shard.index)}};
      const auto actor = shards_.existing(s->uid, shard.index);
      const auto stored_bytes = shards_.store().approximate_bytes({s->uid, shard.index.get()});
      const shard_probe empty;
      const shard_probe& p = actor ? actor->probe() : empty;
      in_records.add(labels, actor ? static_cast<double>(actor->appended_records()) : 0);
      in_bytes.add(labels, actor ? static_cast<double>(actor->appended_bytes()) : 0);
      out_records.add(labels,
                      static_cast<double>(p.outgoing_records.load(std::memory_order_relaxed)));
      out_bytes.add(labels, static_cast<double>(p.outgoing_bytes.load(std::memory_order_relaxed)));
      age.add(labels,
              static_cast<double>(p.last_millis_behind.load(std::memory_order_relaxed)) / 1000.0);
      throttled.add(labels, static_cast<double>(p.throttled.load(std::memory_order_relaxed)));
      subscribers.add(labels, actor ? static_cast<double>(actor->listener_count()) : 0);
      stored.add(labels, stored_bytes ? static_cast<double>(*stored_bytes) : 0);
    }
  }
  std::vector<prometheus::MetricFamily> out;
  for (auto* f : {&in_records, &in_bytes, &out_records, &out_bytes, &age, &throttled, &subscribers,
                  &stored}) {
    out.push_back(f->take());
  }
  return out;
}

}  // namespace eddy::core
