#pragma once
// fault_injector: the errors and latency that --fault-rate, --fault-types, --fault-ops and --latency ask for,
// so that a client's retry code meets what AWS sends when it fails or throttles (docs/faults.md).
//
// A call of an operation in --fault-ops first waits --latency, then with probability --fault-rate is
// answered with one of --fault-types instead of running. PutRecord and PutRecords are throttled per record,
// as AWS throttles them: each record is refused with probability --fault-rate, and the others are stored.
//
// Draws: the n-th draw of the process is splitmix64(seed + n), so a run with one client and a given
// --fault-seed repeats exactly; concurrent clients take draws in the order their calls arrive.
//
// Thread safety: every method may be called from any executor; the state is an atomic counter and
// prometheus-cpp counters. Lifecycle: owned by the request pipeline.
#include <prometheus/collectable.h>
#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "aws_error.h"
#include "throttle_errors.h"
#include "eddy/config/config.h"

namespace eddy::api {

class fault_injector {
 public:
  enum class kind { none, internal, unavailable, throttle };

  // nullptr when the settings ask for neither faults nor latency. `operations` are every operation's
  // names, in operation_index() order; a name of --fault-ops not among them is an error.
  static result<std::unique_ptr<fault_injector>, std::string> make(const config::settings& s,
                                                                  std::span<const std::string_view> operations);

  // Time to wait before running a call of operation `op`.
  std::chrono::milliseconds latency(size_t op);
  // The error to answer a call of `op` with instead of running it; none for most calls.
  kind draw_call(size_t op);
  // Whether to refuse one record of a PutRecord or PutRecords call as throttled.
  bool refuse_record(size_t op);
  // Whether records of `op` may be refused one by one (PutRecord and PutRecords, with throttle faults on).
  bool throttles_records(size_t op) const { return ops_[op].per_record; }

  uint64_t seed() const { return seed_; }

  // eddy_faults_injected_total{operation,type}, for /metrics.
  std::shared_ptr<prometheus::Collectable> collectable() const { return registry_; }

 private:
  struct per_op {
    bool on = false;
    bool per_record = false;
    std::vector<kind> call_kinds;  // what a whole call may get
    prometheus::Counter* injected[4] = {};  // by kind; [none] counts added latency
  };

  fault_injector(const config::settings& s, uint64_t seed);
  uint64_t draw();
  double unit() { return static_cast<double>(draw() >> 11) * 0x1.0p-53; }

  double rate_;
  std::chrono::milliseconds latency_min_;
  std::chrono::milliseconds latency_max_;
  uint64_t seed_;
  std::atomic<uint64_t> next_{0};
  std::shared_ptr<prometheus::Registry> registry_;
  std::vector<per_op> ops_;
};

}  // namespace eddy::api
