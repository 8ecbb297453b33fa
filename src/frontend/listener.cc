#include "eddy/frontend/listener.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/ssl.hpp>

#include <openssl/ssl.h>

#include <cerrno>

#include "eddy/base/log.h"
#include "sessions.h"
#include "eddy/frontend/tls_context.h"
#include "shared_state.h"

namespace eddy::frontend {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::ip::tcp;
using asio::use_awaitable;

constexpr std::string_view kPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

// Reads until the bytes either match the whole HTTP/2 client preface or stop matching it, then hands the
// connection to the matching session. Stream: tcp::socket, or tls_stream when ALPN agreed on nothing.
template <class Stream>
asio::awaitable<void> sniff_and_serve(Stream stream, std::shared_ptr<shared_state> st) {
  std::string prefix;
  bool h2 = false;
  asio::steady_timer deadline(stream.get_executor());
  deadline.expires_after(std::chrono::milliseconds(st->lim.idle_timeout_ms));
  deadline.async_wait([&stream](boost::system::error_code ec) {
    if (!ec) raw_socket(stream).close(ec);
  });
  char buf[256];
  while (true) {
    const size_t n = std::min(prefix.size(), kPreface.size());
    if (prefix.compare(0, n, kPreface.substr(0, n)) != 0) break;
    if (prefix.size() >= kPreface.size()) {
      h2 = true;
      break;
    }
    auto [ec, got] = co_await stream.async_read_some(asio::buffer(buf), asio::as_tuple(use_awaitable));
    if (ec) {
      deadline.cancel();
      co_return;
    }
    prefix.append(buf, got);
  }
  deadline.cancel();
  if (h2) {
    co_await run_http2_session(std::move(stream), std::move(prefix), st);
  } else {
    co_await run_http1_session(std::move(stream), std::move(prefix), st);
  }
}

asio::awaitable<void> serve_connection(tcp::socket socket, std::shared_ptr<shared_state> st,
                                       std::shared_ptr<asio::ssl::context> tls) {
  if (!tls) {
    co_await sniff_and_serve(std::move(socket), std::move(st));
    co_return;
  }
  tls_stream stream(beast::tcp_stream(std::move(socket)), *tls);
  beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(10));
  auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, asio::as_tuple(use_awaitable));
  if (ec) {
    log::get("frontend")->debug("TLS handshake failed: {}", ec.message());
    co_return;
  }
  beast::get_lowest_layer(stream).expires_never();
  const unsigned char* proto = nullptr;
  unsigned len = 0;
  SSL_get0_alpn_selected(stream.native_handle(), &proto, &len);
  const std::string alpn(reinterpret_cast<const char*>(proto), len);
  if (alpn == "h2") {
    co_await run_http2_session(std::move(stream), "", std::move(st));
  } else if (alpn == "http/1.1") {
    co_await run_http1_session(std::move(stream), "", std::move(st));
  } else {
    co_await sniff_and_serve(std::move(stream), std::move(st));
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
  explicit listener_impl(asio::io_context& ioc) : acceptor(asio::make_strand(ioc)), tls_acceptor(asio::make_strand(ioc)) {}
  tcp::acceptor acceptor;
  tcp::acceptor tls_acceptor;
  std::shared_ptr<asio::ssl::context> tls;
};

listener::listener(asio::io_context& ioc, api::request_pipeline& pipeline, limits l)
    : ioc_(ioc), impl_(std::make_shared<listener_impl>(ioc)), state_(std::make_shared<shared_state>(pipeline, l)) {
  pipeline.exposition().add(state_->probe->collectable());
}

listener::~listener() = default;

namespace {

// `tls` set: the TLS port's loop.
asio::awaitable<void> accept_loop(std::shared_ptr<listener_impl> impl, std::shared_ptr<shared_state> st,
                                  asio::io_context& ioc, bool tls) {
  tcp::acceptor& acceptor = tls ? impl->tls_acceptor : impl->acceptor;
  bool out_of_files = false;
  bool at_max = false;
  while (true) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(ioc), asio::as_tuple(use_awaitable));
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
      if (ec == asio::error::no_descriptors || ec.value() == ENFILE) {
        // Out of file descriptors: the connection waits in the backlog until one closes. Retrying at once
        // would spin a core and fill the log, so pause, and say so once per episode.
        st->probe->hit(connection_probe::limit::open_files);
        if (!out_of_files) {
          log::get("frontend")->warn("accept failed: {}; new connections wait until others close", ec.message());
        }
        out_of_files = true;
        asio::steady_timer pause(acceptor.get_executor(), std::chrono::milliseconds(50));
        co_await pause.async_wait(asio::as_tuple(use_awaitable));
        continue;
      }
      log::get("frontend")->warn("accept failed: {}", ec.message());
      continue;
    }
    out_of_files = false;
    if (st->connections.load() >= st->lim.max_connections) {
      st->probe->hit(connection_probe::limit::connections);
      if (!at_max) {  // a flood of refusals is one episode in the log; the counter has each
        log::get("frontend")->warn("refusing connections: {} open, the limit (--max-connections)", st->connections.load());
      }
      at_max = true;
      continue;  // the socket closes as it goes out of scope
    }
    at_max = false;
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    st->connections.fetch_add(1);
    auto exec = socket.get_executor();
    asio::co_spawn(
        exec, serve_connection(std::move(socket), st, tls ? impl->tls : nullptr),
        [st](std::exception_ptr e) {
          st->connections.fetch_sub(1);
          log_failure(e);
        });
  }
}
}  // namespace

result<tcp::endpoint, std::string> listener::bind_tls(const std::string& host, uint16_t port, const std::string& cert,
                                                     const std::string& key) {
  auto ctx = make_tls_context({cert, key});
  if (!ctx) return fail(std::move(ctx).error());
  impl_->tls = std::move(ctx).value();
  return open_acceptor(impl_->tls_acceptor, host, port);
}

result<tcp::endpoint, std::string> listener::bind(const std::string& host, uint16_t port) {
  return open_acceptor(impl_->acceptor, host, port);
}

result<tcp::endpoint, std::string> listener::open_acceptor(tcp::acceptor& acc, const std::string& host, uint16_t port) {
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
  asio::co_spawn(impl->acceptor.get_executor(), accept_loop(impl, state_, ioc_, false),
                 [](std::exception_ptr e) { log_failure(e); });
  if (impl->tls) {
    asio::co_spawn(impl->tls_acceptor.get_executor(), accept_loop(impl, state_, ioc_, true),
                   [](std::exception_ptr e) { log_failure(e); });
  }
}

void listener::stop(std::function<void()> done) {
  auto impl = impl_;
  auto st = state_;
  st->stopping = true;
  asio::post(impl->acceptor.get_executor(), [impl] {
    boost::system::error_code ec;
    impl->acceptor.close(ec);
  });
  asio::post(impl->tls_acceptor.get_executor(), [impl] {
    boost::system::error_code ec;
    impl->tls_acceptor.close(ec);
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
