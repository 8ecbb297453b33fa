#pragma once
// One h2c connection (HTTP/2 with prior knowledge over plain TCP), client side, driven through nghttp2's
// memory API: bytes read from the socket go to nghttp2_session_mem_recv, and whatever
// nghttp2_session_mem_send produces is written by one writer coroutine. The socket owner and the protocol
// engine stay apart, as in nghttp2-asio.
//
// Lifecycle: make_shared, connect(), then any number of concurrent call()s, each a stream; close() sends
// GOAWAY and lets the reader and writer coroutines end, which hold the last references. A failed
// connection fails every open stream with a transport error and stays unusable.
// Thread safety: none; everything runs on the one executor it was made with.
#include "transport.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <nghttp2/nghttp2.h>

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace eddy::bench {

class h2_connection : public std::enable_shared_from_this<h2_connection> {
 public:
  explicit h2_connection(asio::any_io_executor ex);
  ~h2_connection();
  h2_connection(const h2_connection&) = delete;
  h2_connection& operator=(const h2_connection&) = delete;

  // Empty on success, else why it failed.
  asio::awaitable<std::string> connect(const std::vector<asio::ip::tcp::endpoint>& eps, std::string authority);

  // One request on a new stream; with a sink, the body goes there as it arrives instead of into the
  // response. Completes when the stream closes.
  asio::awaitable<http_response> call(const http_request& req, const stream_sink* sink = nullptr);

  bool usable() const { return !dead_ && !goaway_; }
  void close();

 private:
  struct stream_state;

  asio::awaitable<void> reader(std::shared_ptr<h2_connection> self);
  asio::awaitable<void> writer(std::shared_ptr<h2_connection> self);
  void kick();
  void fail(std::string why);

  static int on_header(nghttp2_session*, const nghttp2_frame*, const uint8_t*, size_t, const uint8_t*, size_t,
                       uint8_t, void*);
  static int on_frame_recv(nghttp2_session*, const nghttp2_frame*, void*);
  static int on_data_chunk(nghttp2_session*, uint8_t, int32_t, const uint8_t*, size_t, void*);
  static int on_stream_close(nghttp2_session*, int32_t, uint32_t, void*);
  static ssize_t read_body(nghttp2_session*, int32_t, uint8_t*, size_t, uint32_t*, nghttp2_data_source*, void*);

  asio::any_io_executor ex_;
  asio::ip::tcp::socket sock_;
  asio::steady_timer write_wake_;
  nghttp2_session* session_ = nullptr;
  std::string authority_;
  std::unordered_map<int32_t, stream_state*> streams_;  // states live in the calling coroutines' frames
  std::string out_;
  bool dead_ = false;
  bool goaway_ = false;
  bool closing_ = false;
  std::string dead_reason_;
};

}  // namespace eddy::bench
