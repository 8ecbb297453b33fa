// The two HTTP/2 transports of transport.h, and make_transport. Both resolve the address once.
//   h2           every call is a stream on one shared connection, reopened if the server ends it
//   h2-per-call  a connection per call, closed (GOAWAY) once the response is in: what the AWS SDK for
//                JavaScript v3 does, since its generated config disables concurrent streams
// stream() always uses a connection of its own, so a long subscription never shares one with puts.
#include "h2_connection.h"
#include "http1_transport.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace eddy::bench {
namespace {

using tcp = asio::ip::tcp;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

class h2_transport final : public transport {
 public:
  h2_transport(asio::any_io_executor ex, endpoint_address addr, bool per_call)
      : ex_(ex), addr_(std::move(addr)), per_call_(per_call), connected_(ex, asio::steady_timer::time_point::max()) {}

  asio::awaitable<http_response> call(const http_request& req) override {
    http_response out;
    if (per_call_) {
      auto c = co_await open(out);
      if (!c) co_return out;
      out = co_await c->call(req);
      c->close();
      co_return out;
    }
    auto c = co_await shared(out);
    if (!c) co_return out;
    co_return co_await c->call(req);
  }

  asio::awaitable<http_response> stream(const http_request& req, stream_sink sink) override {
    http_response out;
    auto c = co_await open(out);
    if (!c) co_return out;
    streaming_.push_back(c);
    out = co_await c->call(req, &sink);
    c->close();
    std::erase(streaming_, c);
    co_return out;
  }

  void close() override {
    if (conn_) conn_->close();
    for (auto& c : streaming_) c->close();
  }

 private:
  asio::awaitable<std::shared_ptr<h2_connection>> open(http_response& out) {
    if (resolved_.empty()) {
      tcp::resolver r(ex_);
      auto [ec, results] = co_await r.async_resolve(addr_.host, addr_.port, use_tuple);
      if (ec) {
        out.transport_error = "resolve: " + ec.message();
        co_return nullptr;
      }
      for (const auto& e : results) resolved_.push_back(e.endpoint());
    }
    auto c = std::make_shared<h2_connection>(ex_);
    auto err = co_await c->connect(resolved_, addr_.authority());
    if (!err.empty()) {
      out.transport_error = err;
      co_return nullptr;
    }
    co_return c;
  }

  // The shared connection; callers arriving while it is being opened wait for that one.
  asio::awaitable<std::shared_ptr<h2_connection>> shared(http_response& out) {
    while (connecting_) co_await connected_.async_wait(use_tuple);
    if (conn_ && conn_->usable()) co_return conn_;
    connecting_ = true;
    conn_ = co_await open(out);
    connecting_ = false;
    connected_.cancel();
    connected_.expires_at(asio::steady_timer::time_point::max());
    co_return conn_;
  }

  asio::any_io_executor ex_;
  endpoint_address addr_;
  bool per_call_;
  std::vector<tcp::endpoint> resolved_;
  std::shared_ptr<h2_connection> conn_;
  std::vector<std::shared_ptr<h2_connection>> streaming_;
  bool connecting_ = false;
  asio::steady_timer connected_;
};

}  // namespace

asio::awaitable<http_response> transport::stream(const http_request&, stream_sink) {
  http_response out;
  out.transport_error = "streamed responses need HTTP/2";
  co_return out;
}

std::unique_ptr<transport> make_transport(protocol p, asio::any_io_executor ex, endpoint_address addr) {
  switch (p) {
    case protocol::http1: return make_http1_transport(ex, std::move(addr));
    case protocol::h2: return std::make_unique<h2_transport>(ex, std::move(addr), false);
    case protocol::h2_per_call: return std::make_unique<h2_transport>(ex, std::move(addr), true);
  }
  return nullptr;
}

}  // namespace eddy::bench
