// HTTP/1.1 with Boost.Beast: keep-alive, one request at a time per connection (pipelined requests wait
// in the read buffer, which the parser limits bound), a fresh parser with a body limit per message.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include "../sessions.h"
#include "eddy/base/random.h"

namespace eddy::frontend {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::use_awaitable;
using namespace asio::experimental::awaitable_operators;

api::http_request to_neutral(http::request<http::string_body>&& req,
                             const std::optional<asio::ip::address>& peer) {
  api::http_request out;
  out.peer = peer;
  out.method = std::string(req.method_string());
  out.target = std::string(req.target());
  out.http_major = 1;
  out.headers.reserve(16);
  for (const auto& f : req) {
    std::string name(f.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers.emplace_back(std::move(name), std::string(f.value()));
  }
  out.body = std::move(req.body());
  return out;
}

// A short reply for framing errors found before the request reached the pipeline.
template <class Stream>
asio::awaitable<void> reply_and_close(Stream& stream, http::status status, unsigned version) {
  http::response<http::string_body> res{status, version};
  res.set("x-amzn-RequestId", random_uuid());
  res.keep_alive(false);
  res.prepare_payload();
  beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(10));
  co_await http::async_write(stream, res, asio::as_tuple(use_awaitable));
}

// Writes the pieces of a streamed body, pulling each only after the previous one is written, so a slow
// reader holds the producer back. True when every piece was written.
template <class Stream>
asio::awaitable<bool> pump_body(Stream& stream, api::body_stream& body, bool chunked) {
  while (true) {
    // The producer decides how long to wait between pieces; no deadline runs while it does.
    beast::get_lowest_layer(stream).expires_never();
    std::optional<std::string> piece = co_await body.next();
    if (!piece) co_return true;
    if (piece->empty()) continue;  // an empty chunk would end the body
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(60));
    boost::system::error_code ec;
    if (chunked) {
      auto [cec, n] = co_await asio::async_write(stream, http::make_chunk(asio::buffer(*piece)), asio::as_tuple(use_awaitable));
      ec = cec;
    } else {
      auto [wec, n] = co_await asio::async_write(stream, asio::buffer(*piece), asio::as_tuple(use_awaitable));
      ec = wec;
    }
    if (ec) {
      body.cancel();
      co_return false;
    }
  }
}

// Reads while a body streams out, because a client that hangs up between events is otherwise only
// noticed when the next write fails (a heartbeat later), and until then it holds its subscription:
// a resubscribe would be refused with ResourceInUseException. Bytes that do arrive (a pipelined
// request) stay in `buffer` for the next request, and then the watch just waits: memory stays bounded.
template <class Stream>
asio::awaitable<void> watch_for_hangup(Stream& stream, beast::flat_buffer& buffer, api::body_stream& body) {
  auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096), asio::as_tuple(use_awaitable));
  if (ec) {
    if (ec != asio::error::operation_aborted) body.cancel();  // the pump then ends, and the connection
    co_return;
  }
  buffer.commit(n);
  asio::steady_timer forever(co_await asio::this_coro::executor, std::chrono::steady_clock::time_point::max());
  co_await forever.async_wait(asio::as_tuple(use_awaitable));  // until the pump ends and cancels it
}

// Sends a streamed body (HTTP/1.1 chunked). True when the connection may carry another request.
template <class Stream>
asio::awaitable<bool> write_streamed(Stream& stream, beast::flat_buffer& buffer, api::http_response& resp,
                                     unsigned version, bool keep_alive) {
  http::response<http::empty_body> head{static_cast<http::status>(resp.status), version};
  for (auto& [k, v] : resp.headers) head.insert(k, v);
  // HTTP/1.0 has no chunked coding: the body runs to the end of the connection instead.
  const bool chunked = version >= 11;
  if (chunked) {
    head.chunked(true);
  } else {
    keep_alive = false;
  }
  head.keep_alive(keep_alive);
  http::response_serializer<http::empty_body> sr{head};
  beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(60));
  auto [hec, hn] = co_await http::async_write_header(stream, sr, asio::as_tuple(use_awaitable));
  if (hec) {
    resp.stream->cancel();
    co_return false;
  }
  // The watch's read must not carry a deadline: a quiet subscription is not an idle connection.
  beast::get_lowest_layer(stream).expires_never();
  auto outcome = co_await (pump_body(stream, *resp.stream, chunked) || watch_for_hangup(stream, buffer, *resp.stream));
  if (outcome.index() != 0 || !std::get<0>(outcome)) co_return false;  // the client left, or a write failed
  if (!chunked) co_return false;
  beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(60));
  auto [lec, ln] = co_await asio::async_write(stream, http::make_chunk_last(), asio::as_tuple(use_awaitable));
  co_return !lec && keep_alive;
}

// Stream: beast::tcp_stream (plain) or tls_stream.
template <class Stream>
asio::awaitable<void> serve(Stream& stream, std::string prefix, std::shared_ptr<shared_state> st) {
  const auto peer = peer_address(stream);
  beast::flat_buffer buffer;
  if (!prefix.empty()) {  // an empty buffer's data() may be null, which memcpy must not see
    auto dst = buffer.prepare(prefix.size());
    std::memcpy(dst.data(), prefix.data(), prefix.size());
    buffer.commit(prefix.size());
  }
  auto& probe = *st->probe;
  while (true) {
    // Idle until a request's first byte (a pipelined one may be buffered already); from then on the whole
    // request must arrive within the request timeout, so a client trickling bytes cannot hold the
    // connection and its buffers forever.
    if (buffer.size() == 0) {
      beast::get_lowest_layer(stream).expires_after(std::chrono::milliseconds(st->lim.idle_timeout_ms));
      auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096), asio::as_tuple(use_awaitable));
      if (ec) {
        if (ec == beast::error::timeout) probe.hit(connection_probe::limit::idle_timeout);
        break;
      }
      buffer.commit(n);
    }
    beast::get_lowest_layer(stream).expires_after(std::chrono::milliseconds(st->lim.request_timeout_ms));
    http::request_parser<http::string_body> parser;
    parser.body_limit(st->lim.max_body_bytes);
    parser.header_limit(st->lim.max_header_bytes);
    auto [ec, n] = co_await http::async_read_header(stream, buffer, parser, asio::as_tuple(use_awaitable));
    if (ec == http::error::end_of_stream || ec == asio::error::eof) break;
    if (ec == http::error::body_limit) {  // a Content-Length over the limit is refused before the body
      probe.hit(connection_probe::limit::body_bytes);
      co_await reply_and_close(stream, http::status::payload_too_large, 11);
      break;
    }
    if (ec == http::error::header_limit) {
      probe.hit(connection_probe::limit::header_bytes);
      co_await reply_and_close(stream, http::status::request_header_fields_too_large, 11);
      break;
    }
    if (ec == beast::error::timeout) {  // the socket is closed by now: nothing can be answered
      probe.hit(connection_probe::limit::request_timeout);
      break;
    }
    if (ec) {
      if (ec != asio::error::connection_reset) co_await reply_and_close(stream, http::status::bad_request, 11);
      break;
    }
    if (std::distance(parser.get().begin(), parser.get().end()) > static_cast<long>(st->lim.max_header_count)) {
      probe.hit(connection_probe::limit::header_count);
      co_await reply_and_close(stream, http::status::request_header_fields_too_large, parser.get().version());
      break;
    }
    if (beast::iequals(parser.get()[http::field::expect], "100-continue")) {
      http::response<http::empty_body> cont{http::status::continue_, parser.get().version()};
      auto [wec, wn] = co_await http::async_write(stream, cont, asio::as_tuple(use_awaitable));
      if (wec) break;
    }
    auto [rec, rn] = co_await http::async_read(stream, buffer, parser, asio::as_tuple(use_awaitable));
    if (rec == http::error::body_limit) {
      probe.hit(connection_probe::limit::body_bytes);
      co_await reply_and_close(stream, http::status::payload_too_large, parser.get().version());
      break;
    }
    if (rec == beast::error::timeout) probe.hit(connection_probe::limit::request_timeout);
    if (rec) break;

    const unsigned version = parser.get().version();
    const bool keep_alive = parser.get().keep_alive();
    const bool head = parser.get().method() == http::verb::head;
    api::http_response resp;
    {
      in_flight_guard guard(*st);
      resp = co_await st->pipeline.handle(to_neutral(parser.release(), peer));
    }
    if (resp.stream) {
      const bool more = co_await write_streamed(stream, buffer, resp, version, keep_alive && !st->stopping.load());
      if (!more) break;
      continue;
    }
    http::response<http::string_body> res{static_cast<http::status>(resp.status), version};
    for (auto& [k, v] : resp.headers) res.insert(k, v);
    res.body() = std::move(resp.body);
    res.keep_alive(keep_alive && !st->stopping.load());
    res.prepare_payload();
    // A HEAD answer is a GET's headers without its body: bytes after them would be read as the next response.
    if (head) res.body().clear();
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(60));
    auto [wec, wn] = co_await http::async_write(stream, res, asio::as_tuple(use_awaitable));
    if (wec || !res.keep_alive()) break;
  }
}

}  // namespace

asio::awaitable<void> run_http1_session(asio::ip::tcp::socket socket, std::string prefix,
                                        std::shared_ptr<shared_state> st) {
  const connection_probe::session counted(st->probe, connection_probe::protocol::http1);
  beast::tcp_stream stream(std::move(socket));
  co_await serve(stream, std::move(prefix), std::move(st));
  boost::system::error_code ignored;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
}

asio::awaitable<void> run_http1_session(tls_stream stream, std::string prefix, std::shared_ptr<shared_state> st) {
  const connection_probe::session counted(st->probe, connection_probe::protocol::http1);
  co_await serve(stream, std::move(prefix), std::move(st));
  beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(5));
  auto [ec] = co_await stream.async_shutdown(asio::as_tuple(use_awaitable));
  (void)ec;  // the peer may already be gone
}

asio::awaitable<void> run_http1_session(memory_stream stream, std::string prefix, std::shared_ptr<shared_state> st) {
  const connection_probe::session counted(st->probe, connection_probe::protocol::http1);
  co_await serve(stream, std::move(prefix), std::move(st));
  stream.close();
}

}  // namespace eddy::frontend
