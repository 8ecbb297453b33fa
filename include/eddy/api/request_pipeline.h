#pragma once
// request_pipeline: turns one neutral HTTP request into a Kinesis call and its response. It owns the
// check order AWS uses (method, body, content type, parse, target, auth, types, constraints, operation)
// and the one respond() point that encodes results and errors.
//
// Thread safety: handle() may run concurrently from any executor; the pipeline's one piece of mutable
// state, the subscription leases, locks itself.
#include <boost/asio/awaitable.hpp>

#include <atomic>

#include "eddy/api/http_types.h"
#include "eddy/auth/sigv4_verifier.h"
#include "eddy/codec/document.h"
#include "eddy/config/config.h"
#include "eddy/core/shard_directory.h"
#include "eddy/core/shard_iterator.h"
#include "eddy/core/stream_registry.h"
#include "eddy/core/subscription_leases.h"

namespace eddy::api {

class responder;
struct operation;
namespace model {
enum class protocol;
}

class request_pipeline {
 public:
  // `credentials` switches on strict SigV4 verification; nullptr keeps AWS's presence checks only.
  request_pipeline(core::stream_registry& registry, core::shard_directory& shards,
                   const core::iterator_codec& iterators, const config::settings& settings,
                   const auth::credential_store* credentials = nullptr)
      : registry_(registry), shards_(shards), iterators_(iterators), settings_(settings), credentials_(credentials) {}

  boost::asio::awaitable<http_response> handle(http_request req);

  // GET /ready answers 200 once this is set (storage open, start-up work done), 503 before; GET /health
  // answers 200 whenever the process serves requests.
  void set_ready() { ready_.store(true, std::memory_order_release); }

 private:
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
};

}  // namespace eddy::api
