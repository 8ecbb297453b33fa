#pragma once
// State every connection of one listener shares: the pipeline, the limits and the counters that let
// shutdown wait for requests in flight. Counters are atomics because connections run on many strands.
#include <boost/asio/ip/tcp.hpp>

#include <atomic>

#include "connection_probe.h"
#include "eddy/api/request_pipeline.h"
#include "eddy/frontend/listener.h"

namespace eddy::frontend {

struct shared_state {
  shared_state(api::request_pipeline& p, limits l) : pipeline(p), lim(l) {}

  api::request_pipeline& pipeline;
  limits lim;
  std::atomic<uint32_t> connections{0};
  std::atomic<uint32_t> in_flight{0};
  std::atomic<bool> stopping{false};
  // Shared: /metrics holds the registry weakly, and sessions may end after the listener is gone.
  std::shared_ptr<connection_probe> probe = std::make_shared<connection_probe>();
};

// RAII count of one request being handled.
struct in_flight_guard {
  explicit in_flight_guard(shared_state& s) : s_(s) { s_.in_flight.fetch_add(1); }
  ~in_flight_guard() { s_.in_flight.fetch_sub(1); }
  in_flight_guard(const in_flight_guard&) = delete;
  in_flight_guard& operator=(const in_flight_guard&) = delete;
  shared_state& s_;
};

}  // namespace eddy::frontend
