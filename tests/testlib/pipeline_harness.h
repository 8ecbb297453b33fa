#pragma once
// A request_pipeline wired as the broker wires it (in-memory store, registry, shard actors), run on one
// io_context by the calling thread: unit tests and bench/api drive whole Kinesis calls without sockets.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <array>
#include <memory>
#include <string>

#include "eddy/api/request_pipeline.h"

namespace eddy::testlib {

class pipeline_harness {
 public:
  explicit pipeline_harness(config::settings settings = {})
      : settings_(std::move(settings)),
        store_(storage::make_memory_store()),
        registry_(*store_, {}, [](auto, auto) {}),
        shards_(ioc_.get_executor(), ioc_.get_executor(), *store_),
        iterators_(std::array<uint8_t, 32>{}),
        pipeline_(registry_, shards_, iterators_, settings_) {}

  api::http_response call(api::http_request req) {
    auto fut = boost::asio::co_spawn(ioc_, pipeline_.handle(std::move(req)), boost::asio::use_future);
    ioc_.restart();
    ioc_.run();
    return fut.get();
  }

  // A POST of `op` with a SigV4 header that passes AWS's presence checks.
  static api::http_request kinesis_request(const std::string& op, std::string body,
                                           std::string content_type = "application/x-amz-json-1.1") {
    api::http_request req;
    req.method = "POST";
    req.target = "/";
    req.headers = {{"content-type", std::move(content_type)},
                   {"x-amz-target", "Kinesis_20131202." + op},
                   {"x-amz-date", "20240101T000000Z"},
                   {"authorization",
                    "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/kinesis/aws4_request, SignedHeaders=host, "
                    "Signature=abc"}};
    req.body = std::move(body);
    return req;
  }

  api::http_response kinesis(const std::string& op, std::string body,
                             std::string content_type = "application/x-amz-json-1.1") {
    return call(kinesis_request(op, std::move(body), std::move(content_type)));
  }

  api::http_response get(const std::string& target) {
    api::http_request req;
    req.method = "GET";
    req.target = target;
    return call(std::move(req));
  }

  static std::string header(const api::http_response& r, const std::string& name) {
    for (const auto& [k, v] : r.headers) {
      if (k == name) return v;
    }
    return "";
  }

 private:
  boost::asio::io_context ioc_;
  config::settings settings_;
  std::unique_ptr<storage::log_store> store_;
  core::stream_registry registry_;
  core::shard_directory shards_;
  core::iterator_codec iterators_;
  api::request_pipeline pipeline_;
};

}  // namespace eddy::testlib
