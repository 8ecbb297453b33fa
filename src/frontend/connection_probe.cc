#include "connection_probe.h"

namespace eddy::frontend {

connection_probe::connection_probe() : registry_(std::make_shared<prometheus::Registry>()) {
  auto& open = prometheus::BuildGauge()
                   .Name("eddy_connections_open")
                   .Help("Connections being served, by protocol (http1 or h2)")
                   .Register(*registry_);
  auto& accepted =
      prometheus::BuildCounter()
          .Name("eddy_connections_accepted_total")
          .Help("Connections handed to an HTTP/1.1 or HTTP/2 session since start, by protocol")
          .Register(*registry_);
  http1_ = {&open.Add({{"protocol", "http1"}}), &accepted.Add({{"protocol", "http1"}})};
  h2_ = {&open.Add({{"protocol", "h2"}}), &accepted.Add({{"protocol", "h2"}})};
  auto& hits = prometheus::BuildCounter()
                   .Name("eddy_frontend_limit_hits_total")
                   .Help("Requests or connections stopped by a resource limit (--max-*, --*-timeout-ms), by limit")
                   .Register(*registry_);
  static constexpr const char* kNames[] = {"connections", "body_bytes",   "header_bytes",    "header_count",
                                           "h2_streams",  "idle_timeout", "request_timeout", "open_files"};
  static_assert(std::size(kNames) == std::tuple_size_v<decltype(limit_hits_)>);
  for (size_t i = 0; i < limit_hits_.size(); ++i) limit_hits_[i] = &hits.Add({{"limit", kNames[i]}});
}

connection_probe::session::session(std::shared_ptr<connection_probe> probe, protocol p)
    : probe_(std::move(probe)), open_(probe_->of(p).open) {
  probe_->of(p).accepted->Increment();
  open_->Increment();
}

connection_probe::session::~session() {
  open_->Decrement();
}

}  // namespace eddy::frontend
