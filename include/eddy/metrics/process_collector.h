#pragma once
// process_collector: the standard process_* metrics every Prometheus client exports, read from /proc at
// scrape time (so nothing runs between scrapes):
//
//   process_cpu_seconds_total        user + system CPU time
//   process_resident_memory_bytes    resident set size
//   process_virtual_memory_bytes     virtual memory size
//   process_open_fds, process_max_fds
//   process_start_time_seconds       since the Unix epoch
//   process_threads                  OS threads
//
// Thread safety: Collect() may be called from any thread; it keeps no state.
#include <prometheus/collectable.h>

namespace eddy::metrics {

class process_collector final : public prometheus::Collectable {
 public:
  std::vector<prometheus::MetricFamily> Collect() const override;
};

}  // namespace eddy::metrics
