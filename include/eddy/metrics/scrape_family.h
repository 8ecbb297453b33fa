#pragma once
// scrape_family: one metric family built at scrape time, for collectors whose samples are read from live
// state when /metrics is asked for (shard counters, process figures, RocksDB properties) instead of being
// updated as they change. Nothing is registered, so a sample whose source has gone (a deleted stream)
// is simply not produced.
#include <prometheus/metric_family.h>

#include <string>

namespace eddy::metrics {

class scrape_family {
 public:
  // `type`: Counter or Gauge.
  scrape_family(std::string name, std::string help, prometheus::MetricType type) {
    family_.name = std::move(name);
    family_.help = std::move(help);
    family_.type = type;
  }

  void add(std::vector<prometheus::ClientMetric::Label> labels, double value) {
    prometheus::ClientMetric m;
    m.label = std::move(labels);
    if (family_.type == prometheus::MetricType::Counter) {
      m.counter.value = value;
    } else {
      m.gauge.value = value;
    }
    family_.metric.push_back(std::move(m));
  }

  prometheus::MetricFamily take() { return std::move(family_); }

 private:
  prometheus::MetricFamily family_;
};

}  // namespace eddy::metrics
