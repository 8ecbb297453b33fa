#pragma once
// request_probe: per-operation request metrics, sampled once per request by the request pipeline.
//
//   eddy_api_requests_total{operation}                  every request, errors included
//   eddy_api_errors_total{operation,error_type}         requests answered with an error, by AWS error type
//   eddy_api_request_duration_seconds{operation}        histogram, from the request reaching the pipeline to
//                                                       its response (for SubscribeToShard: to the stream's start)
//   eddy_api_request_bytes_total{operation}             request bodies
//   eddy_api_response_bytes_total{operation}            response bodies (SubscribeToShard: every event sent)
//
// Each operation's children are resolved once, here, because the operation list is static: recording a
// request touches atomics (and the short lock prometheus-cpp's Histogram takes around its bucket update),
// never a label lookup. The one lookup is for an error's type, which only exists once an error does.
//
// Thread safety: every method may be called from any thread. Lifecycle: shared by the pipeline and the
// SubscribeToShard bodies that add their bytes as they stream, which may outlive it at shutdown.
#include <prometheus/collectable.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace eddy::metrics {

class request_probe {
 public:
  // The label a request gets when it names no operation Eddy serves (it can only be an error).
  static constexpr std::string_view unknown_operation = "unknown";

  // `operations`: the operation names, in the order their indexes refer to.
  explicit request_probe(std::span<const std::string_view> operations);

  // Index operations.size() stands for unknown_operation.
  size_t unknown_index() const { return ops_.size() - 1; }
  size_t size() const { return ops_.size(); }

  // One request. `error_type` is empty for a success.
  void record(size_t op, double seconds, uint64_t request_bytes, uint64_t response_bytes, std::string_view error_type);
  // Response bytes sent after the request was recorded (event streams).
  void add_response_bytes(size_t op, uint64_t n) { ops_[op].response_bytes->Increment(static_cast<double>(n)); }

  // What /metrics reads.
  std::shared_ptr<prometheus::Collectable> collectable() const { return registry_; }

 private:
  struct children {
    std::string name;
    prometheus::Counter* requests;
    prometheus::Histogram* duration;
    prometheus::Counter* request_bytes;
    prometheus::Counter* response_bytes;
  };

  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>* errors_;
  std::vector<children> ops_;
};

}  // namespace eddy::metrics
