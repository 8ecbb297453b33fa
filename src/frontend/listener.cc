#include "eddy/frontend/listener.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "eddy/base/log.h"
#include "sessions.h"
#include "shared_state.h"

namespace eddy::frontend {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using asio::use_awaitable;

constexpr std::string_view kPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

// Reads until the bytes either match the whole HTTP/2 client preface or stop matching it.
asio::awaitable<void> serve_connection(tcp::socket socket, std::shared_ptr<shared_state> st) {
  std::string prefix;
  bool h2 = false;
  asio::steady_timer deadline(socket.get_executor());
  deadline.expires_after(std::chrono::seconds(st->lim.idle_timeout_seconds));
  deadline.async_wait([&socket](boost::system::error_code ec) {
    if (!ec) socket.close(ec);
  });
  char buf[256];
  while (true) {
    const size_t n = std::min(prefix.size(), kPreface.size());
    if (prefix.compare(0, n, kPreface.substr(0, n)) != 0) break;
    if (prefix.size() >= kPreface.size()) {
      h2 = true;
      break;
    }
    auto [ec, got] = co_await socket.async_read_some(asio::buffer(buf), asio::as_tuple(use_awaitable));
    if (ec) {
      deadline.cancel();
      co_return;
    }
    prefix.append(buf, got);
  }
  deadline.cancel();
  if (h2) {
    co_await run_http2_session(std::move(socket), std::move(prefix), st);
  } else {
    co_await run_http1_session(std::move(socket), std::move(prefix), st);
  }
}

void log_failure(std::exception_ptr e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    log::get("frontend")->warn("connection ended with an error: {}", ex.what());
  }
}

}  // namespace

struct listener_impl {
  explicit listener_impl(asio::io_context& ioc) : acceptor(asio::make_strand(ioc)) {}
  tcp::acceptor acceptor;
};

listener::listener(asio::io_context& ioc, api::request_pipeline& pipeline, limits l)
    : ioc_(ioc), impl_(std::make_shared<listener_impl>(ioc)), state_(std::make_shared<shared_state>(pipeline, l)) {}

listener::~listener() = default;

namespace {

asio::awaitable<void> accept_loop(std::shared_ptr<listener_impl> impl, std::shared_ptr<shared_state> st,
                                  asio::io_context& ioc) {
  while (true) {
    auto [ec, socket] = co_await impl->acceptor.async_accept(asio::make_strand(ioc), asio::as_tuple(use_awaitable));
    if (ec) {
      if (ec == asio::error::operation_aborted || !impl->acceptor.is_open()) co_return;
      log::get("frontend")->warn("accept failed: {}", ec.message());
      continue;
    }
    if (st->connections.load() >= st->lim.max_connections) {
      log::get("frontend")->warn("refusing a connection: {} open, the limit", st->connections.load());
      continue;  // the socket closes as it goes out of scope
    }
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    st->connections.fetch_add(1);
    auto exec = socket.get_executor();
    asio::co_spawn(
        exec, serve_connection(std::move(socket), st),
        [st](std::exception_ptr e) {
          st->connections.fetch_sub(1);
          log_failure(e);
        });
  }
}
}  // namespace

result<tcp::endpoint, std::string> listener::bind(const std::string& host, uint16_t port) {
  auto& acc = impl_->acceptor;
  boost::system::error_code ec;
  const auto addr = asio::ip::make_address(host, ec);
  if (ec) return fail("invalid --host '" + host + "': " + ec.message());
  tcp::endpoint ep(addr, port);
  acc.open(ep.protocol(), ec);
  if (!ec) acc.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acc.bind(ep, ec);
  if (!ec) acc.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail("cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message());
  return acc.local_endpoint();
}

void listener::start() {
  auto impl = impl_;
  asio::co_spawn(impl->acceptor.get_executor(), accept_loop(impl, state_, ioc_), [](std::exception_ptr e) { log_failure(e); });
}

void listener::stop(std::function<void()> done) {
  auto impl = impl_;
  auto st = state_;
  st->stopping = true;
  asio::post(impl->acceptor.get_executor(), [impl] {
    boost::system::error_code ec;
    impl->acceptor.close(ec);
  });
  // Wait for requests in flight (at most 5 s). Idle keep-alive connections end with the io_context.
  asio::co_spawn(
      ioc_,
      [](std::shared_ptr<shared_state> s, std::function<void()> finish) -> asio::awaitable<void> {
        asio::steady_timer t(co_await asio::this_coro::executor);
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (s->in_flight.load() != 0 && std::chrono::steady_clock::now() < deadline) {
          t.expires_after(std::chrono::milliseconds(5));
          co_await t.async_wait(use_awaitable);
        }
        finish();
      }(st, std::move(done)),
      [](std::exception_ptr e) { log_failure(e); });
}

}  // namespace eddy::frontend
