#pragma once
// The seam between frontend (HTTP/1.1 and HTTP/2 sessions) and api (Kinesis): one protocol-neutral
// request and response. Sessions fill a request, the pipeline returns a response.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/address.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace eddy::api {

struct http_request {
  std::string method;
  std::string target;  // path and query, as received
  // Header names in lower case; HTTP/2's :authority arrives as "host".
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  int http_major = 1;
  // The TCP peer, for routes that care who asks (the console is loopback-only by default); unset when the
  // session has no socket address (sessions over memory in the fuzz targets and tests).
  std::optional<boost::asio::ip::address> peer;

  std::optional<std::string_view> header(std::string_view lower_name) const {
    for (const auto& [k, v] : headers) {
      if (k == lower_name) return std::string_view(v);
    }
    return std::nullopt;
  }
};

// A response body produced over time: SubscribeToShard's event stream. A session pulls one piece,
// writes it, and only then pulls the next, so a reader that stops reading holds the producer back
// instead of letting pieces pile up in memory.
//
// Executor: next() and cancel() are called on the connection's strand, and next() is never called
// again before the previous call has finished.
class body_stream {
 public:
  virtual ~body_stream() = default;
  // The next piece of the body, or nullopt at its end.
  virtual boost::asio::awaitable<std::optional<std::string>> next() = 0;
  // The peer has gone: a pending or later next() returns nullopt promptly.
  virtual void cancel() = 0;
};

struct http_response {
  unsigned status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // besides content-length
  std::string body;
  // When set, the body is this stream's pieces instead of `body` (HTTP/1.1 chunked, HTTP/2 DATA frames).
  std::shared_ptr<body_stream> stream;
};

}  // namespace eddy::api
