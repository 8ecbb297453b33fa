#pragma once
// exposition: the text GET /metrics answers with, gathered at scrape time from every source registered.
//
// Each module keeps its own metrics (a prometheus-cpp Registry, or a collector that computes its samples
// when asked) and registers it here once; the exposition only walks them and serialises what they return
// in Prometheus' text format 0.0.4. It holds sources weakly: a source that has gone (its module stopped)
// simply drops out of the next scrape.
//
// Thread safety: add() and render() may be called from any thread. Lifecycle: one per broker, owned by the
// request pipeline, which serves /metrics.
#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace eddy::metrics {

class exposition {
 public:
  static constexpr std::string_view content_type = "text/plain; version=0.0.4; charset=utf-8";

  void add(std::weak_ptr<prometheus::Collectable> source);

  // Every family of every live source, in registration order.
  std::vector<prometheus::MetricFamily> collect() const;
  std::string render() const;

 private:
  mutable std::mutex mu_;
  std::vector<std::weak_ptr<prometheus::Collectable>> sources_;
};

}  // namespace eddy::metrics
