#pragma once
// The server's own cost, read from /proc when --server-pid is given:
//   /proc/PID/stat    fields 14 and 15 (utime, stime) in clock ticks: CPU seconds over the measured phase
//   /proc/PID/status  VmRSS (sampled once a second; the largest sample is kept) and VmHWM (the peak the
//                     kernel recorded over the process's whole life, start-up and fill phases included)
// A pid that is gone or unreadable yields zeros, never an error: the figures are extras.
#include <nlohmann/json.hpp>

#include <cstdint>

namespace eddy::bench {

class server_probe {
 public:
  explicit server_probe(int pid) : pid_(pid) {}

  bool enabled() const { return pid_ > 0; }
  void start();   // remembers CPU time and RSS at the start of the measured phase
  void sample();  // once a second
  void stop();    // CPU time at the end of the measured phase
  nlohmann::json to_json() const;

  double cpu_seconds() const { return cpu_end_ - cpu_start_; }
  double peak_rss_mib() const { return hwm_kib_ / 1024.0; }

 private:
  double cpu_now() const;
  int64_t status_kib(const char* field) const;

  int pid_;
  double cpu_start_ = 0, cpu_end_ = 0;
  int64_t rss_start_kib_ = 0, rss_max_kib_ = 0, hwm_kib_ = 0;
};

}  // namespace eddy::bench
