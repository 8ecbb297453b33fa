#pragma once
// listener: accepts TCP connections on one port and serves both HTTP/1.1 and HTTP/2 with prior
// knowledge (h2c) on it, deciding per connection from its first bytes.
//
// Lifecycle: bind(), start(), then stop() once; stop() stops accepting, lets requests in flight finish
// (up to a deadline), closes the remaining connections and then calls `done`.
// Executors: the accept loop runs on its own strand; each connection runs on a strand of its own.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <functional>
#include <memory>
#include <string>

#include "eddy/api/request_pipeline.h"
#include "eddy/base/result.h"

namespace eddy::frontend {

struct limits {
  uint64_t max_body_bytes = 16ull << 20;
  uint32_t max_header_bytes = 64 * 1024;
  uint32_t max_header_count = 100;
  uint32_t max_connections = 10000;
  uint32_t max_h2_streams = 128;       // concurrent streams per HTTP/2 connection
  int64_t idle_timeout_ms = 120'000;   // a connection with no request (or HTTP/2 stream) in progress
  int64_t request_timeout_ms = 60'000;  // from a request's first byte to its last: slow senders (slowloris)
};

struct shared_state;
struct listener_impl;

class listener {
 public:
  listener(boost::asio::io_context& ioc, api::request_pipeline& pipeline, limits l);
  ~listener();

  result<boost::asio::ip::tcp::endpoint, std::string> bind(const std::string& host, uint16_t port);
  // A second, TLS port: ALPN h2 or http/1.1, and HTTP/2 recognised by its preface when ALPN agreed on nothing.
  result<boost::asio::ip::tcp::endpoint, std::string> bind_tls(const std::string& host, uint16_t port,
                                                               const std::string& cert, const std::string& key);
  void start();
  void stop(std::function<void()> done);

 private:
  result<boost::asio::ip::tcp::endpoint, std::string> open_acceptor(boost::asio::ip::tcp::acceptor& acc,
                                                                    const std::string& host, uint16_t port);

  boost::asio::io_context& ioc_;
  std::shared_ptr<listener_impl> impl_;
  std::shared_ptr<shared_state> state_;
};

}  // namespace eddy::frontend
