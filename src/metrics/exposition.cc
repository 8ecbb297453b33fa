#include "eddy/metrics/exposition.h"

#include <prometheus/text_serializer.h>

namespace eddy::metrics {

void exposition::add(std::weak_ptr<prometheus::Collectable> source) {
  std::lock_guard lock(mu_);
  sources_.push_back(std::move(source));
}

std::vector<prometheus::MetricFamily> exposition::collect() const {
  // Copy the list out so a slow source (storage estimates) never holds up add().
  std::vector<std::shared_ptr<prometheus::Collectable>> live;
  {
    std::lock_guard lock(mu_);
    for (const auto& s : sources_) {
      if (auto p = s.lock()) live.push_back(std::move(p));
    }
  }
  std::vector<prometheus::MetricFamily> out;
  for (const auto& s : live) {
    auto families = s->Collect();
    std::move(families.begin(), families.end(), std::back_inserter(out));
  }
  return out;
}

std::string exposition::render() const { return prometheus::TextSerializer().Serialize(collect()); }

}  // namespace eddy::metrics
