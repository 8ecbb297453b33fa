#pragma once
// fuzz_broker: a request_pipeline wired as the broker wires it (in-memory store, registry, shard actors,
// like tests/testlib/pipeline_harness.h) and run by the calling thread on one io_context. Each fuzz input
// gets a fresh one, so that no input depends on what earlier ones did and every crash reproduces alone.
//
// It starts with some state for requests to find: stream "fuzz" (2 shards, one record on shard 0) with
// the ACTIVE consumer "c". Values a fuzzer cannot guess (they carry a random salt, a MAC or the creation
// second) are written in inputs as placeholders of the same length, which substitute() replaces with the
// real ones.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include <spdlog/sinks/base_sink.h>

#include <mutex>

#include "eddy/api/request_pipeline.h"
#include "eddy/base/log.h"
#include "eddy/codec/json_codec.h"

namespace eddy::fuzz {

// Fuzzing prints nothing per input: only warnings and worse reach stderr. An error line is a finding:
// Eddy logs one only for a request that failed inside (an exception out of an HTTP/2 request, an
// InternalFailure) or for broken state, never for what a client sent, so it aborts the input.
class abort_on_error_sink final : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    if (msg.level < spdlog::level::err) return;
    std::fprintf(stderr, "fuzz: error logged by [%.*s]: %.*s\n", static_cast<int>(msg.logger_name.size()),
                 msg.logger_name.data(), static_cast<int>(msg.payload.size()), msg.payload.data());
    std::abort();
  }
  void flush_() override {}
};

// Called once by each fuzz target (LLVMFuzzerInitialize); not by unit tests, some of which log errors
// on purpose.
inline void watch_logs() {
  static const bool done = [] {
    log::configure("warn", log::format::text);
    auto sink = std::make_shared<abort_on_error_sink>();
    for (const char* module : {"api", "core", "frontend", "storage"}) log::get(module)->sinks().push_back(sink);
    return true;
  }();
  (void)done;
}

class fuzz_broker {
 public:
  // Placeholders, each as long as the value it stands for, so that replacing one changes no length: not
  // a Content-Length, an HTTP/2 frame's length or a CBOR head. A shard iterator for shard 0 at
  // TRIM_HORIZON (96 characters for stream "fuzz" in us-east-1), the ARN of consumer "c" (72), and the
  // sequence number of the record on shard 0 (56).
  static constexpr std::string_view iterator_placeholder =
      "$ITER$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$";
  static constexpr std::string_view consumer_arn_placeholder =
      "$CARN$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$";
  static constexpr std::string_view sequence_placeholder = "$SEQN$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$";
  static_assert(iterator_placeholder.size() == 96 && consumer_arn_placeholder.size() == 72 &&
                sequence_placeholder.size() == 56);
  static constexpr std::string_view stream_arn = "arn:aws:kinesis:us-east-1:000000000000:stream/fuzz";

  fuzz_broker()
      : settings_(make_settings()),
        store_(storage::make_memory_store()),
        registry_(*store_, {}, [](auto, auto) {}),
        shards_(ioc_.get_executor(), ioc_.get_executor(), *store_),
        iterators_(std::array<uint8_t, 32>{}),
        pipeline_(registry_, shards_, iterators_, settings_) {
    expect_ok(kinesis("CreateStream", R"({"StreamName":"fuzz","ShardCount":2})"));
    const auto consumer = expect_ok(kinesis(
        "RegisterStreamConsumer", R"({"StreamARN":")" + std::string(stream_arn) + R"(","ConsumerName":"c"})"));
    consumer_arn_ = consumer["Consumer"]["ConsumerARN"].get<std::string>();
    const auto put = expect_ok(kinesis(
        "PutRecord", R"({"StreamName":"fuzz","Data":"aGVsbG8=","PartitionKey":"k","ExplicitHashKey":"0"})"));
    sequence_number_ = put["SequenceNumber"].get<std::string>();
    const auto it = expect_ok(kinesis(
        "GetShardIterator",
        R"({"StreamName":"fuzz","ShardId":"shardId-000000000000","ShardIteratorType":"TRIM_HORIZON"})"));
    iterator_ = it["ShardIterator"].get<std::string>();
    if (iterator_.size() != iterator_placeholder.size() || consumer_arn_.size() != consumer_arn_placeholder.size() ||
        sequence_number_.size() != sequence_placeholder.size()) {
      std::fprintf(stderr, "fuzz_broker: a live value's length differs from its placeholder's\n");
      std::abort();
    }
  }

  boost::asio::io_context& ioc() { return ioc_; }
  api::request_pipeline& pipeline() { return pipeline_; }

  // Runs one request to its end; a streamed body (SubscribeToShard) is read to its end as a transport
  // would, which the short subscription lifetime bounds.
  api::http_response call(api::http_request req) {
    auto fut = boost::asio::co_spawn(ioc_, pipeline_.handle(std::move(req)), boost::asio::use_future);
    ioc_.restart();
    ioc_.run();
    api::http_response resp = fut.get();
    if (resp.stream) {
      auto drained = boost::asio::co_spawn(ioc_, drain(resp.stream), boost::asio::use_future);
      ioc_.restart();
      ioc_.run();
      drained.get();
    }
    return resp;
  }

  // A POST of `op` with a SigV4 header that passes AWS's presence checks (tests/testlib's form).
  static api::http_request kinesis_request(std::string_view op, std::string body,
                                           std::string content_type = "application/x-amz-json-1.1") {
    api::http_request req;
    req.method = "POST";
    req.target = "/";
    req.headers = {{"host", "localhost"},
                   {"content-type", std::move(content_type)},
                   {"x-amz-target", "Kinesis_20131202." + std::string(op)},
                   {"x-amz-date", "20240101T000000Z"},
                   {"authorization",
                    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/kinesis/aws4_request, "
                    "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=abc"}};
    req.body = std::move(body);
    return req;
  }

  static std::string header(const api::http_response& r, std::string_view name) {
    for (const auto& [k, v] : r.headers) {
      if (k == name) return v;
    }
    return "";
  }

  api::http_response kinesis(std::string_view op, std::string body) { return call(kinesis_request(op, std::move(body))); }

  // Replaces the placeholders wherever they are: in a JSON or CBOR body, or in the bytes of a connection.
  void substitute(std::string& bytes) const {
    const std::pair<std::string_view, const std::string*> subs[] = {{iterator_placeholder, &iterator_},
                                                                      {consumer_arn_placeholder, &consumer_arn_},
                                                                      {sequence_placeholder, &sequence_number_}};
    for (const auto& [from, to] : subs) {
      for (size_t at = bytes.find(from); at != std::string::npos; at = bytes.find(from, at + from.size())) {
        bytes.replace(at, from.size(), *to);
      }
    }
  }

 private:
  static config::settings make_settings() {
    config::settings s;
    s.in_memory = true;
    s.subscription_lifetime_ms = 5;  // a subscription ends almost at once: every input ends quickly
    return s;
  }

  static boost::asio::awaitable<void> drain(std::shared_ptr<api::body_stream> body) {
    while (co_await body->next()) {
    }
  }

  // The set-up requests must work, or every input would test less than it seems to.
  static codec::document expect_ok(const api::http_response& r) {
    auto d = codec::json::decode(r.body);
    if (r.status != 200 || !d) {
      std::fprintf(stderr, "fuzz_broker: set-up request failed: %u %s\n", r.status, r.body.c_str());
      std::abort();
    }
    return *d;
  }

  boost::asio::io_context ioc_;
  config::settings settings_;
  std::unique_ptr<storage::log_store> store_;
  core::stream_registry registry_;
  core::shard_directory shards_;
  core::iterator_codec iterators_;
  api::request_pipeline pipeline_;
  std::string consumer_arn_;
  std::string sequence_number_;
  std::string iterator_;
};

}  // namespace eddy::fuzz
