#include "eddy/metrics/request_probe.h"

#include "eddy/metrics/buckets.h"

namespace eddy::metrics {

request_probe::request_probe(std::span<const std::string_view> operations)
    : registry_(std::make_shared<prometheus::Registry>()) {
  auto& requests = prometheus::BuildCounter()
                       .Name("eddy_api_requests_total")
                       .Help("Kinesis API requests, by operation, errors included")
                       .Register(*registry_);
  errors_ = &prometheus::BuildCounter()
                 .Name("eddy_api_errors_total")
                 .Help("Kinesis API requests answered with an error, by operation and AWS error type")
                 .Register(*registry_);
  auto& duration = prometheus::BuildHistogram()
                       .Name("eddy_api_request_duration_seconds")
                       .Help("Time from a request reaching the pipeline to its response, by operation")
                       .Register(*registry_);
  auto& in = prometheus::BuildCounter()
                 .Name("eddy_api_request_bytes_total")
                 .Help("Request body bytes, by operation")
                 .Register(*registry_);
  auto& out = prometheus::BuildCounter()
                  .Name("eddy_api_response_bytes_total")
                  .Help("Response body bytes, by operation (SubscribeToShard: every event sent)")
                  .Register(*registry_);
  std::vector<std::string_view> names(operations.begin(), operations.end());
  names.push_back(unknown_operation);
  ops_.reserve(names.size());
  for (const auto name : names) {
    const prometheus::Labels l{{"operation", std::string(name)}};
    ops_.push_back({std::string(name), &requests.Add(l), &duration.Add(l, latency_buckets()), &in.Add(l), &out.Add(l)});
  }
}

void request_probe::record(size_t op, double seconds, uint64_t request_bytes, uint64_t response_bytes,
                           std::string_view error_type) {
  auto& c = ops_[op];
  c.requests->Increment();
  c.duration->Observe(seconds);
  c.request_bytes->Increment(static_cast<double>(request_bytes));
  c.response_bytes->Increment(static_cast<double>(response_bytes));
  if (!error_type.empty()) errors_->Add({{"operation", c.name}, {"error_type", std::string(error_type)}}).Increment();
}

}  // namespace eddy::metrics
