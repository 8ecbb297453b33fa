#pragma once
// Finds one sample among collected metric families, for tests of the probes and collectors.
#include <prometheus/metric_family.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace eddy::testlib {

using label_set = std::map<std::string, std::string>;

inline const prometheus::MetricFamily* find_family(const std::vector<prometheus::MetricFamily>& families,
                                                   std::string_view name) {
  for (const auto& f : families) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

// The metric of family `name` whose labels are exactly `labels`, or nullptr.
inline const prometheus::ClientMetric* find_metric(const std::vector<prometheus::MetricFamily>& families,
                                                   std::string_view name, const label_set& labels) {
  const auto* f = find_family(families, name);
  if (!f) return nullptr;
  for (const auto& m : f->metric) {
    label_set have;
    for (const auto& l : m.label) have[l.name] = l.value;
    if (have == labels) return &m;
  }
  return nullptr;
}

// A counter's or gauge's value; for a histogram, its sample count.
inline std::optional<double> value(const std::vector<prometheus::MetricFamily>& families, std::string_view name,
                                   const label_set& labels = {}) {
  const auto* m = find_metric(families, name, labels);
  if (!m) return std::nullopt;
  switch (find_family(families, name)->type) {
    case prometheus::MetricType::Counter: return m->counter.value;
    case prometheus::MetricType::Gauge: return m->gauge.value;
    case prometheus::MetricType::Histogram: return static_cast<double>(m->histogram.sample_count);
    default: return std::nullopt;
  }
}

}  // namespace eddy::testlib
