// HTTP/2 (h2c with prior knowledge) driven through nghttp2's memory API: bytes read from the socket go
// to nghttp2_session_mem_recv, frames nghttp2 wants to send come from nghttp2_session_mem_send and are
// written by one writer coroutine. Every callback and coroutine here runs on the connection's strand,
// so the nghttp2 session is never entered from two threads. Complete requests are dispatched to the
// pipeline concurrently, one coroutine per stream.
#include <nghttp2/nghttp2.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <unordered_map>

#include "../sessions.h"
#include "eddy/base/log.h"

namespace eddy::frontend {
namespace {

namespace asio = boost::asio;
using asio::use_awaitable;
using asio::ip::tcp;
using namespace asio::experimental::awaitable_operators;

struct h2_stream {
  api::http_request req;
  std::chrono::steady_clock::time_point begun;  // its HEADERS: the request timeout runs from here
  uint32_t header_bytes = 0;
  uint32_t header_count = 0;
  bool too_large = false;
  bool dispatched = false;
  std::string response_body;  // the whole body, or the streamed piece being sent
  size_t sent = 0;
  // Streamed responses only: the producer, whether it has ended, and a timer that wakes the pump once
  // nghttp2 has taken the current piece.
  std::shared_ptr<api::body_stream> body;
  bool body_done = false;
  std::shared_ptr<asio::steady_timer> drained;
};

// Stream: tcp::socket (h2c) or tls_stream (h2 over TLS).
template <class Stream>
class http2_session : public std::enable_shared_from_this<http2_session<Stream>> {
 public:
  http2_session(Stream socket, std::shared_ptr<shared_state> st)
      : socket_(std::move(socket)), st_(std::move(st)), wake_(socket_.get_executor()), peer_(peer_address(socket_)) {
    nghttp2_session_callbacks* cbs = nullptr;
    nghttp2_session_callbacks_new(&cbs);
    nghttp2_session_callbacks_set_on_begin_headers_callback(cbs, &on_begin_headers);
    nghttp2_session_callbacks_set_on_header_callback(cbs, &on_header);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cbs, &on_data_chunk);
    nghttp2_session_callbacks_set_on_frame_recv_callback(cbs, &on_frame_recv);
    nghttp2_session_callbacks_set_on_stream_close_callback(cbs, &on_stream_close);
    nghttp2_session_callbacks_set_on_invalid_frame_recv_callback(cbs, &on_invalid_frame);
    nghttp2_session_server_new(&session_, cbs, this);
    nghttp2_session_callbacks_del(cbs);
  }

  ~http2_session() { nghttp2_session_del(session_); }

  asio::awaitable<void> run(std::string prefix) {
    auto self = this->shared_from_this();
    const nghttp2_settings_entry settings[] = {
        {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, st_->lim.max_h2_streams},
        {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 1u << 20},
        {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, st_->lim.max_header_bytes},
    };
    nghttp2_submit_settings(session_, NGHTTP2_FLAG_NONE, settings, std::size(settings));
    // A large connection window lets a 10 MiB PutRecords body arrive without waiting on WINDOW_UPDATEs.
    nghttp2_session_set_local_window_size(session_, NGHTTP2_FLAG_NONE, 0, 16 << 20);
    if (!feed(reinterpret_cast<const uint8_t*>(prefix.data()), prefix.size())) co_return;
    co_await (reader() || writer() || watchdog());
    closed_ = true;
    for (auto& [id, st] : streams_) end_body(st);
    boost::system::error_code ignored;
    raw_socket(socket_).shutdown(tcp::socket::shutdown_both, ignored);
    raw_socket(socket_).close(ignored);
  }

 private:
  static http2_session& self(void* user) { return *static_cast<http2_session*>(user); }

  bool feed(const uint8_t* data, size_t n) {
    const ssize_t rv = nghttp2_session_mem_recv(session_, data, n);
    if (rv < 0) {
      log::get("frontend")->debug("HTTP/2 input rejected: {}", nghttp2_strerror(static_cast<int>(rv)));
      return false;
    }
    kick();
    return true;
  }

  void kick() { wake_.cancel(); }

  static void end_body(h2_stream& st) {
    if (!st.body) return;
    st.body->cancel();
    st.drained->cancel();
  }

  asio::awaitable<void> reader() {
    std::array<uint8_t, 16384> buf;
    while (true) {
      auto [ec, n] = co_await socket_.async_read_some(asio::buffer(buf), asio::as_tuple(use_awaitable));
      if (ec) co_return;
      last_activity_ = std::chrono::steady_clock::now();
      if (!feed(buf.data(), n)) {
        co_await flush();  // nghttp2 has queued a GOAWAY saying why
        co_return;
      }
    }
  }

  // Writes everything nghttp2 has queued; false when the socket failed.
  asio::awaitable<bool> flush() {
    while (true) {
      out_.clear();
      while (out_.size() < 65536) {
        const uint8_t* data = nullptr;
        const ssize_t n = nghttp2_session_mem_send(session_, &data);
        if (n <= 0) break;
        out_.append(reinterpret_cast<const char*>(data), static_cast<size_t>(n));
      }
      if (out_.empty()) co_return true;
      auto [ec, n] = co_await asio::async_write(socket_, asio::buffer(out_), asio::as_tuple(use_awaitable));
      if (ec) co_return false;
    }
  }

  asio::awaitable<void> writer() {
    while (true) {
      // GCC 12 miscompiles co_await inside a condition; keep awaits in plain statements.
      const bool ok = co_await flush();
      if (!ok) co_return;
      if (!nghttp2_session_want_read(session_) && !nghttp2_session_want_write(session_)) co_return;
      wake_.expires_at(asio::steady_timer::time_point::max());
      co_await wake_.async_wait(asio::as_tuple(use_awaitable));
    }
  }

  // Ends a connection with no stream open for the idle timeout (GOAWAY, after which the writer finds
  // nothing more to do and the session ends), and resets a stream whose request has not fully arrived
  // within the request timeout: a client trickling frames cannot hold buffers forever.
  asio::awaitable<void> watchdog() {
    using clock = std::chrono::steady_clock;
    const auto idle = std::chrono::milliseconds(st_->lim.idle_timeout_ms);
    const auto request = std::chrono::milliseconds(st_->lim.request_timeout_ms);
    asio::steady_timer timer(socket_.get_executor());
    bool going_away = false;
    while (true) {
      const auto now = clock::now();
      auto next = clock::time_point::max();
      if (streams_.empty() && !going_away) {
        if (now - last_activity_ >= idle) {
          st_->probe->hit(connection_probe::limit::idle_timeout);
          nghttp2_session_terminate_session(session_, NGHTTP2_NO_ERROR);
          going_away = true;
          kick();
        } else {
          next = last_activity_ + idle;
        }
      }
      for (auto& [id, st] : streams_) {
        if (st.dispatched) continue;
        if (now - st.begun >= request) {
          st_->probe->hit(connection_probe::limit::request_timeout);
          st.dispatched = true;  // never: what arrives later of it is dropped
          nghttp2_submit_rst_stream(session_, NGHTTP2_FLAG_NONE, id, NGHTTP2_CANCEL);
          kick();
        } else {
          next = std::min(next, st.begun + request);
        }
      }
      // Streams that open later are looked at within an idle period at most; a request timeout longer than
      // that is then late by at most the difference, which is fine for a bound on slow senders.
      timer.expires_at(std::min(next, now + std::min(idle, request)));
      co_await timer.async_wait(asio::as_tuple(use_awaitable));
    }
  }

  asio::awaitable<void> dispatch(int32_t id) {
    auto keep = this->shared_from_this();
    api::http_response resp;
    bool head = false;
    {
      auto it = streams_.find(id);
      if (it == streams_.end()) co_return;
      head = it->second.req.method == "HEAD";
      if (it->second.too_large) {
        resp.status = 413;
      } else {
        in_flight_guard guard(*st_);
        resp = co_await st_->pipeline.handle(std::move(it->second.req));
      }
    }
    auto it = streams_.find(id);  // the client may have reset the stream or left meanwhile
    if (closed_ || it == streams_.end()) {
      if (resp.stream) resp.stream->cancel();  // gives its lease back now, not at its next heartbeat
      co_return;
    }
    it->second.response_body = std::move(resp.body);

    std::vector<std::pair<std::string, std::string>> headers;
    headers.emplace_back(":status", std::to_string(resp.status));
    for (auto& [k, v] : resp.headers) {
      std::string name = k;
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      headers.emplace_back(std::move(name), std::move(v));
    }
    if (resp.stream) {
      it->second.body = resp.stream;
      it->second.drained = std::make_shared<asio::steady_timer>(socket_.get_executor(), asio::steady_timer::time_point::max());
    } else {
      headers.emplace_back("content-length", std::to_string(it->second.response_body.size()));
    }
    std::vector<nghttp2_nv> nva;
    nva.reserve(headers.size());
    for (auto& [k, v] : headers) {
      nva.push_back({reinterpret_cast<uint8_t*>(k.data()), reinterpret_cast<uint8_t*>(v.data()), k.size(), v.size(),
                     NGHTTP2_NV_FLAG_NONE});
    }
    nghttp2_data_provider provider{};
    provider.read_callback = &read_body;
    // A HEAD answer ends with its headers (END_STREAM on HEADERS); content-length still says the GET's size.
    const bool body = !head || resp.stream;
    if (int rv = nghttp2_submit_response(session_, id, nva.data(), nva.size(), body ? &provider : nullptr); rv != 0) {
      log::get("frontend")->debug("HTTP/2 response on stream {} not submitted: {}", id, nghttp2_strerror(rv));
      if (resp.stream) resp.stream->cancel();
      co_return;
    }
    kick();
    if (resp.stream) co_await pump(id, std::move(resp.stream));
  }

  // Moves a streamed body into nghttp2 one piece at a time: the next piece is pulled only once nghttp2
  // has taken the last one, so a client that stops reading (flow control) holds the producer back.
  asio::awaitable<void> pump(int32_t id, std::shared_ptr<api::body_stream> body) {
    while (true) {
      std::optional<std::string> piece = co_await body->next();
      auto it = streams_.find(id);
      if (closed_ || it == streams_.end()) co_return;  // the client reset the stream or left
      auto& st = it->second;
      if (piece) {
        st.response_body = std::move(*piece);
        st.sent = 0;
      } else {
        st.body_done = true;
      }
      nghttp2_session_resume_data(session_, id);
      kick();
      if (!piece) co_return;
      std::shared_ptr<asio::steady_timer> drained = st.drained;
      while (true) {
        it = streams_.find(id);
        if (closed_ || it == streams_.end() || it->second.sent == it->second.response_body.size()) break;
        drained->expires_at(asio::steady_timer::time_point::max());
        co_await drained->async_wait(asio::as_tuple(use_awaitable));
      }
    }
  }

  static ssize_t read_body(nghttp2_session*, int32_t id, uint8_t* buf, size_t length, uint32_t* flags,
                           nghttp2_data_source*, void* user) {
    auto& s = self(user);
    auto it = s.streams_.find(id);
    if (it == s.streams_.end()) return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
    auto& st = it->second;
    const size_t n = std::min(length, st.response_body.size() - st.sent);
    std::memcpy(buf, st.response_body.data() + st.sent, n);
    st.sent += n;
    if (st.sent < st.response_body.size()) return static_cast<ssize_t>(n);
    if (!st.body || st.body_done) {
      *flags |= NGHTTP2_DATA_FLAG_EOF;
      return static_cast<ssize_t>(n);
    }
    st.drained->cancel();  // the pump may fetch the next piece
    return n > 0 ? static_cast<ssize_t>(n) : ssize_t{NGHTTP2_ERR_DEFERRED};
  }

  static int on_begin_headers(nghttp2_session*, const nghttp2_frame* frame, void* user) {
    if (frame->hd.type == NGHTTP2_HEADERS && frame->headers.cat == NGHTTP2_HCAT_REQUEST) {
      auto& s = self(user);
      auto& st = s.streams_[frame->hd.stream_id];
      st.req.http_major = 2;
      st.begun = std::chrono::steady_clock::now();
      st.req.peer = s.peer_;
    }
    return 0;
  }

  static int on_header(nghttp2_session*, const nghttp2_frame* frame, const uint8_t* name, size_t namelen,
                       const uint8_t* value, size_t valuelen, uint8_t, void* user) {
    auto& s = self(user);
    auto it = s.streams_.find(frame->hd.stream_id);
    if (it == s.streams_.end()) return 0;
    auto& st = it->second;
    st.header_bytes += static_cast<uint32_t>(namelen + valuelen);
    if (++st.header_count > s.st_->lim.max_header_count) {
      s.st_->probe->hit(connection_probe::limit::header_count);
      return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;  // resets this stream only
    }
    if (st.header_bytes > s.st_->lim.max_header_bytes) {
      s.st_->probe->hit(connection_probe::limit::header_bytes);
      return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
    }
    std::string_view n(reinterpret_cast<const char*>(name), namelen);
    std::string v(reinterpret_cast<const char*>(value), valuelen);
    if (n == ":method") {
      st.req.method = std::move(v);
    } else if (n == ":path") {
      st.req.target = std::move(v);
    } else if (n == ":authority") {
      // Kept under both names: "host" for everything that reads it, ":authority" because HTTP/2 clients
      // (the JS SDK) sign it under that name.
      st.req.headers.emplace_back(":authority", v);
      st.req.headers.emplace_back("host", std::move(v));
    } else if (!n.starts_with(":")) {
      st.req.headers.emplace_back(std::string(n), std::move(v));  // HTTP/2 names are lower case already
    }
    return 0;
  }

  static int on_data_chunk(nghttp2_session*, uint8_t, int32_t id, const uint8_t* data, size_t len, void* user) {
    auto& s = self(user);
    auto it = s.streams_.find(id);
    if (it == s.streams_.end()) return 0;
    auto& st = it->second;
    if (st.too_large || st.req.body.size() + len > s.st_->lim.max_body_bytes) {
      if (!st.too_large) s.st_->probe->hit(connection_probe::limit::body_bytes);
      st.too_large = true;
      st.req.body.clear();
      st.req.body.shrink_to_fit();
      return 0;
    }
    st.req.body.append(reinterpret_cast<const char*>(data), len);
    return 0;
  }

  static int on_frame_recv(nghttp2_session*, const nghttp2_frame* frame, void* user) {
    auto& s = self(user);
    if ((frame->hd.type != NGHTTP2_HEADERS && frame->hd.type != NGHTTP2_DATA) ||
        !(frame->hd.flags & NGHTTP2_FLAG_END_STREAM)) {
      return 0;
    }
    auto it = s.streams_.find(frame->hd.stream_id);
    if (it == s.streams_.end() || it->second.dispatched) return 0;
    it->second.dispatched = true;
    asio::co_spawn(s.socket_.get_executor(), s.dispatch(frame->hd.stream_id), [](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        log::get("frontend")->error("HTTP/2 request failed: {}", ex.what());
      }
    });
    return 0;
  }

  // nghttp2 refuses a stream over SETTINGS_MAX_CONCURRENT_STREAMS itself (REFUSED_STREAM while the
  // setting is unacknowledged, a connection error after); this only counts it.
  static int on_invalid_frame(nghttp2_session*, const nghttp2_frame* frame, int lib_error, void* user) {
    auto& s = self(user);
    if (frame->hd.type == NGHTTP2_HEADERS && frame->headers.cat == NGHTTP2_HCAT_REQUEST &&
        (lib_error == NGHTTP2_ERR_REFUSED_STREAM || s.streams_.size() >= s.st_->lim.max_h2_streams)) {
      s.st_->probe->hit(connection_probe::limit::h2_streams);
    }
    return 0;
  }

  static int on_stream_close(nghttp2_session*, int32_t id, uint32_t, void* user) {
    auto& s = self(user);
    if (auto it = s.streams_.find(id); it != s.streams_.end()) end_body(it->second);
    s.streams_.erase(id);
    s.last_activity_ = std::chrono::steady_clock::now();  // idle from the last stream's end, not from its start
    return 0;
  }

  Stream socket_;
  std::shared_ptr<shared_state> st_;
  asio::steady_timer wake_;
  const std::optional<asio::ip::address> peer_;  // stamped on every request of the connection
  nghttp2_session* session_ = nullptr;
  std::unordered_map<int32_t, h2_stream> streams_;
  std::string out_;
  std::chrono::steady_clock::time_point last_activity_ = std::chrono::steady_clock::now();
  bool closed_ = false;  // the connection is gone; streamed bodies stop
};

}  // namespace

asio::awaitable<void> run_http2_session(tcp::socket socket, std::string prefix, std::shared_ptr<shared_state> st) {
  const connection_probe::session counted(st->probe, connection_probe::protocol::h2);
  auto session = std::make_shared<http2_session<tcp::socket>>(std::move(socket), std::move(st));
  co_await session->run(std::move(prefix));
}

asio::awaitable<void> run_http2_session(tls_stream stream, std::string prefix, std::shared_ptr<shared_state> st) {
  const connection_probe::session counted(st->probe, connection_probe::protocol::h2);
  auto session = std::make_shared<http2_session<tls_stream>>(std::move(stream), std::move(st));
  co_await session->run(std::move(prefix));
}

asio::awaitable<void> run_http2_session(memory_stream stream, std::string prefix, std::shared_ptr<shared_state> st) {
  const connection_probe::session counted(st->probe, connection_probe::protocol::h2);
  memory_stream conn = stream;
  auto session = std::make_shared<http2_session<memory_stream>>(std::move(stream), std::move(st));
  co_await session->run(std::move(prefix));
  conn.close();
}

}  // namespace eddy::frontend
