#include "eddy/storage/storage_probe.h"

#include <map>

#include "eddy/metrics/buckets.h"
#include "eddy/metrics/scrape_family.h"
#include "eddy/storage/kv_engine.h"

namespace eddy::storage {

storage_probe::storage_probe() {
  auto& write =
      prometheus::BuildHistogram()
          .Name("eddy_storage_write_duration_seconds")
          .Help("One atomic storage commit; sync=\"true\" when it waits for stable storage")
          .Register(registry_);
  write_sync_ = &write.Add({{"sync", "true"}}, metrics::latency_buckets());
  write_nosync_ = &write.Add({{"sync", "false"}}, metrics::latency_buckets());
  sync_ = &prometheus::BuildHistogram()
               .Name("eddy_storage_sync_duration_seconds")
               .Help("One fsync of RocksDB's write-ahead log")
               .Register(registry_)
               .Add({}, metrics::latency_buckets());
  batch_bytes_ = &prometheus::BuildHistogram()
                      .Name("eddy_storage_write_batch_bytes")
                      .Help("Bytes of one appended chunk (one group commit of a shard)")
                      .Register(registry_)
                      .Add({}, metrics::size_buckets());
  batch_records_ = &prometheus::BuildHistogram()
                        .Name("eddy_storage_write_batch_records")
                        .Help("Records in one appended chunk (one group commit of a shard)")
                        .Register(registry_)
                        .Add({}, metrics::count_buckets());
}

void storage_probe::attach(kv_engine* engine) {
  std::lock_guard lock(engine_mu_);
  engine_ = engine;
}

std::vector<prometheus::MetricFamily> storage_probe::Collect() const {
  auto out = registry_.Collect();
  std::vector<engine_stat> stats;
  {
    std::lock_guard lock(engine_mu_);
    if (engine_) stats = engine_->stats();
  }
  // Stats arrive one per (name, column family); a family gathers every column family of one name.
  std::map<std::string_view, metrics::scrape_family> families;
  std::vector<std::string_view> order;
  for (const auto& s : stats) {
    auto it = families.find(s.name);
    if (it == families.end()) {
      it = families
               .emplace(s.name, metrics::scrape_family(std::string(s.name), std::string(s.help),
                                                       s.counter ? prometheus::MetricType::Counter
                                                                 : prometheus::MetricType::Gauge))
               .first;
      order.push_back(s.name);
    }
    std::vector<prometheus::ClientMetric::Label> labels;
    if (!s.column_family.empty()) labels.push_back({"column_family", std::string(s.column_family)});
    it->second.add(std::move(labels), s.value);
  }
  for (const auto name : order) out.push_back(families.at(name).take());
  return out;
}

}  // namespace eddy::storage
