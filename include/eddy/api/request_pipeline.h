#pragma once
// request_pipeline: turns one neutral HTTP request into a Kinesis call and its response. It owns the
// check order AWS uses (method, body, content type, parse, target, auth, types, constraints, operation)
// and the one respond() point that encodes results and errors.
//
// It is also where each request is observed: one sample per Kinesis call in the per-operation metrics
// (metrics/request_probe.h) and, at debug level, one log line (operation, stream, status, latency). And it
// serves GET /metrics: the exposition gathers the probes of every module it can reach (storage, shards,
// process) and those registered with it (the listener's connections). GET /console and its files are
// handed to console_route before any Kinesis check.
//
// Thread safety: handle() may run concurrently from any executor; the pipeline's mutable state (the
// subscription leases, the metrics) is locked or atomic.
#include <boost/asio/awaitable.hpp>

#include <atomic>
#include <chrono>
#include <memory>

#include "eddy/api/http_types.h"
#include "eddy/auth/sigv4_verifier.h"
#include "eddy/codec/document.h"
#include "eddy/config/config.h"
#include "eddy/core/shard_directory.h"
#include "eddy/core/shard_iterator.h"
#include "eddy/core/stream_registry.h"
#include "eddy/core/subscription_leases.h"
#include "eddy/metrics/exposition.h"

namespace spdlog {
class logger;
}
namespace eddy::metrics {
class request_probe;
class process_collector;
}  // namespace eddy::metrics
namespace eddy::core {
class shard_metrics;
class consumer_metrics;
}  // namespace eddy::core

namespace eddy::api {

class responder;
class console_route;
class fault_injector;
class throughput_limits;
struct operation;
namespace model {
enum class protocol;
}

class request_pipeline {
 public:
  // `credentials` switches on strict SigV4 verification; nullptr keeps AWS's presence checks only.
  request_pipeline(core::stream_registry& registry, core::shard_directory& shards,
                   const core::iterator_codec& iterators, const config::settings& settings,
                   const auth::credential_store* credentials = nullptr);
  ~request_pipeline();

  // Why these settings cannot make a pipeline (an unknown operation in --fault-ops), checked before the
  // broker builds one.
  static result<void, std::string> check_settings(const config::settings& settings);

  boost::asio::awaitable<http_response> handle(http_request req);

  // GET /ready answers 200 once this is set (storage open, start-up work done), 503 before; GET /health
  // answers 200 whenever the process serves requests.
  void set_ready() { ready_.store(true, std::memory_order_release); }

  // What GET /metrics renders; other modules add their own sources (metrics/exposition.h).
  metrics::exposition& exposition() { return exposition_; }

 private:
  // The check order above, from the method to the operation's answer.
  boost::asio::awaitable<http_response> route(responder& r, const http_request& req);
  // One metrics sample and, at debug level, one log line for a Kinesis call.
  void observe(const responder& r, const http_request& req, http_response& resp,
               std::chrono::steady_clock::time_point started);

  // Authentication, validation and the operation itself, once the protocol and operation are known.
  boost::asio::awaitable<http_response> call(responder& r, const http_request& req, const operation& op,
                                             codec::document input, model::protocol protocol);

  core::stream_registry& registry_;
  core::shard_directory& shards_;
  const core::iterator_codec& iterators_;
  const config::settings& settings_;
  const auth::credential_store* credentials_;
  // Shared with live subscriptions, which give their lease back when they end, possibly after the
  // pipeline is gone (at shutdown).
  std::shared_ptr<core::subscription_leases> leases_ = std::make_shared<core::subscription_leases>();
  std::atomic<bool> ready_{false};
  // Shared with streamed responses, which count their bytes as they go (possibly after the pipeline).
  std::shared_ptr<metrics::request_probe> probe_;
  std::shared_ptr<core::shard_metrics> shard_metrics_;
  std::shared_ptr<core::consumer_metrics> consumer_metrics_;  // reads leases_
  std::shared_ptr<metrics::process_collector> process_;
  std::unique_ptr<fault_injector> faults_;  // null unless --fault-rate or --latency asks for it
  std::unique_ptr<throughput_limits> limits_;  // null unless --enforce-limits
  metrics::exposition exposition_;
  std::unique_ptr<console_route> console_;  // GET /console (console_route.h)
  // Cached: the per-request debug line asks it should_log() first, so it costs nothing when off.
  std::shared_ptr<spdlog::logger> log_;
};

}  // namespace eddy::api
