#pragma once
// What a workload counts while it runs: requests, records and bytes that succeeded, every latency sample
// (kept whole and sorted at the end: a 10 s run holds at most a few hundred thousand), and errors by type.
// Errors come in two units and are kept apart: a failed request (its __type, or "transport: ...") and a
// failed record inside a successful PutRecords (its ErrorCode).
// Thread safety: none; the workloads and the progress line share one thread.
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace eddy::bench {

using clock_type = std::chrono::steady_clock;

struct percentiles {
  int64_t count = 0;
  double p50 = 0, p90 = 0, p99 = 0, max = 0, mean = 0;  // milliseconds
  nlohmann::json to_json() const;
};

// Nearest-rank percentiles of samples in nanoseconds; sorts them.
percentiles summarize(std::vector<int64_t>& samples_ns);

struct run_stats {
  int64_t requests = 0;
  int64_t records = 0;
  int64_t bytes = 0;
  std::vector<int64_t> latency_ns;
  std::map<std::string, int64_t> request_errors;
  std::map<std::string, int64_t> record_errors;

  int64_t errors() const;
  void clear() { *this = run_stats{}; }
};

}  // namespace eddy::bench
