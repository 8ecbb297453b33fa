#pragma once
// The seam between the workloads (which know Kinesis) and the wire (HTTP/1.1 or HTTP/2): one signed POST
// in, one response out. Three implementations, chosen by --protocol:
//   http1        a pool of keep-alive HTTP/1.1 connections (Beast), one per concurrent call
//   h2           one h2c (prior knowledge) connection, every call a stream on it (nghttp2)
//   h2-per-call  a new TCP connection and h2c session per call, as the AWS SDK for JavaScript v3 does
//
// Everything runs on one single-threaded io_context: no locks, and the client leaves the second core to the
// server. Thread safety: none; use from the io_context's thread only.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace eddy::bench {

namespace asio = boost::asio;

struct endpoint_address {
  std::string host;  // as given in the URL
  std::string port;
  std::string authority() const { return host + ":" + port; }  // the signed Host / :authority
};

// One request. The strings must outlive the call (they belong to the caller's coroutine frame).
struct http_request {
  std::string_view target;         // Kinesis_20131202.PutRecords
  std::string_view content_type;
  std::string_view body;
  std::string_view amz_date;
  std::string_view authorization;
};

struct http_response {
  int status = 0;                  // 0: no response (transport_error says why)
  std::string content_type;
  std::string error_type_header;   // x-amzn-ErrorType
  std::string body;
  std::string transport_error;
};

// Receives a streamed response (SubscribeToShard): the status and content type once, then body bytes as
// they arrive. Called on the io_context's thread.
struct stream_sink {
  std::function<void(int status, std::string_view content_type)> on_headers;
  std::function<void(std::string_view bytes)> on_data;
};

enum class protocol { http1, h2, h2_per_call };

class transport {
 public:
  virtual ~transport() = default;
  virtual asio::awaitable<http_response> call(const http_request& req) = 0;
  // A response delivered through `sink` as it arrives; completes when the stream ends. Only HTTP/2
  // implements it (the subscription of the subscribe workload).
  virtual asio::awaitable<http_response> stream(const http_request& req, stream_sink sink);
  // Closes idle connections and ends open streams.
  virtual void close() = 0;
};

std::unique_ptr<transport> make_transport(protocol p, asio::any_io_executor ex, endpoint_address addr);

}  // namespace eddy::bench
