#include "eddy/core/consumer_metrics.h"

#include "eddy/metrics/scrape_family.h"

namespace eddy::core {

std::vector<prometheus::MetricFamily> consumer_metrics::Collect() const {
  metrics::scrape_family age("eddy_consumer_iterator_age_seconds",
                             "MillisBehindLatest of the last event of each live SubscribeToShard subscription, "
                             "in seconds",
                             prometheus::MetricType::Gauge);
  for (auto& s : leases_->samples()) {
    age.add({{"account", std::move(s.account)},
             {"region", std::move(s.region)},
             {"stream", std::move(s.stream)},
             {"consumer", std::move(s.consumer)},
             {"shard", std::move(s.shard)}},
            static_cast<double>(s.millis_behind) / 1000.0);
  }
  std::vector<prometheus::MetricFamily> out;
  out.push_back(age.take());
  return out;
}

}  // namespace eddy::core
