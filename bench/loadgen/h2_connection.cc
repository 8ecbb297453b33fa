#include "h2_connection.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <charconv>
#include <cstring>

namespace eddy::bench {
namespace {

using tcp = asio::ip::tcp;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// Our receive windows: large, so a multi-megabyte GetRecords answer streams without waiting for
// WINDOW_UPDATEs (nghttp2 sends those by itself as data is consumed).
constexpr int32_t kStreamWindow = 16 << 20;
constexpr int32_t kConnectionWindow = 64 << 20;

nghttp2_nv nv(std::string_view name, std::string_view value) {
  return {reinterpret_cast<uint8_t*>(const_cast<char*>(name.data())),
          reinterpret_cast<uint8_t*>(const_cast<char*>(value.data())), name.size(), value.size(),
          NGHTTP2_NV_FLAG_NO_COPY_NAME | NGHTTP2_NV_FLAG_NO_COPY_VALUE};
}

}  // namespace

struct h2_connection::stream_state {
  explicit stream_state(asio::any_io_executor ex) : wake(ex, asio::steady_timer::time_point::max()) {}
  std::string_view body;
  size_t sent = 0;
  const stream_sink* sink = nullptr;
  bool headers_seen = false;
  bool done = false;
  http_response resp;
  asio::steady_timer wake;

  void finish() {
    done = true;
    wake.cancel();
  }
};

h2_connection::h2_connection(asio::any_io_executor ex)
    : ex_(ex), sock_(ex), write_wake_(ex, asio::steady_timer::time_point::max()) {
  nghttp2_session_callbacks* cbs = nullptr;
  nghttp2_session_callbacks_new(&cbs);
  nghttp2_session_callbacks_set_on_header_callback(cbs, &h2_connection::on_header);
  nghttp2_session_callbacks_set_on_frame_recv_callback(cbs, &h2_connection::on_frame_recv);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cbs, &h2_connection::on_data_chunk);
  nghttp2_session_callbacks_set_on_stream_close_callback(cbs, &h2_connection::on_stream_close);
  nghttp2_session_client_new(&session_, cbs, this);
  nghttp2_session_callbacks_del(cbs);
}

h2_connection::~h2_connection() { nghttp2_session_del(session_); }

asio::awaitable<std::string> h2_connection::connect(const std::vector<tcp::endpoint>& eps, std::string authority) {
  authority_ = std::move(authority);
  auto [ec, ep] = co_await asio::async_connect(sock_, eps, use_tuple);
  if (ec) {
    fail("connect: " + ec.message());
    co_return dead_reason_;
  }
  sock_.set_option(tcp::no_delay(true));
  const nghttp2_settings_entry settings[] = {
      {NGHTTP2_SETTINGS_ENABLE_PUSH, 0},
      {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, kStreamWindow},
  };
  nghttp2_submit_settings(session_, NGHTTP2_FLAG_NONE, settings, std::size(settings));
  nghttp2_session_set_local_window_size(session_, NGHTTP2_FLAG_NONE, 0, kConnectionWindow);
  // The preface and SETTINGS go out with the first request, without waiting for the server's SETTINGS,
  // as every HTTP/2 client does.
  asio::co_spawn(ex_, reader(shared_from_this()), asio::detached);
  asio::co_spawn(ex_, writer(shared_from_this()), asio::detached);
  co_return std::string();
}

asio::awaitable<http_response> h2_connection::call(const http_request& req, const stream_sink* sink) {
  stream_state st(ex_);
  if (!usable()) {
    st.resp.transport_error = dead_ ? dead_reason_ : "connection is going away";
    co_return std::move(st.resp);
  }
  st.body = req.body;
  st.sink = sink;
  char len_buf[24];
  const auto len_end = std::to_chars(len_buf, len_buf + sizeof len_buf, req.body.size()).ptr;
  const nghttp2_nv headers[] = {
      nv(":method", "POST"),
      nv(":scheme", "http"),
      nv(":authority", authority_),
      nv(":path", "/"),
      nv("content-type", req.content_type),
      nv("content-length", std::string_view(len_buf, static_cast<size_t>(len_end - len_buf))),
      nv("x-amz-target", req.target),
      nv("x-amz-date", req.amz_date),
      nv("authorization", req.authorization),
  };
  nghttp2_data_provider provider{};
  provider.source.ptr = &st;
  provider.read_callback = &h2_connection::read_body;
  const int32_t id = nghttp2_submit_request(session_, nullptr, headers, std::size(headers), &provider, &st);
  if (id < 0) {
    st.resp.transport_error = std::string("submit: ") + nghttp2_strerror(id);
    co_return std::move(st.resp);
  }
  streams_.emplace(id, &st);
  kick();
  while (!st.done) co_await st.wake.async_wait(use_tuple);
  co_return std::move(st.resp);
}

void h2_connection::close() {
  if (dead_ || closing_) return;
  closing_ = true;
  goaway_ = true;
  nghttp2_session_terminate_session(session_, NGHTTP2_NO_ERROR);
  kick();
}

void h2_connection::kick() { write_wake_.cancel(); }

void h2_connection::fail(std::string why) {
  if (dead_) return;
  dead_ = true;
  dead_reason_ = std::move(why);
  auto open = std::move(streams_);
  streams_.clear();
  for (auto& [id, st] : open) {  // still open, so not complete, whatever arrived so far
    st->resp.transport_error = dead_reason_;
    st->finish();
  }
  boost::system::error_code ec;
  sock_.shutdown(tcp::socket::shutdown_both, ec);
  sock_.close(ec);
  kick();
}

asio::awaitable<void> h2_connection::reader(std::shared_ptr<h2_connection> /*keeps this alive*/) {
  std::vector<uint8_t> buf(256 << 10);
  while (!dead_) {
    auto [ec, n] = co_await sock_.async_read_some(asio::buffer(buf), use_tuple);
    if (ec) {
      fail(closing_ ? "closed" : ec == asio::error::eof ? "connection closed by the server" : "read: " + ec.message());
      break;
    }
    const auto rv = nghttp2_session_mem_recv(session_, buf.data(), n);
    if (rv < 0) {
      fail(std::string("h2 protocol: ") + nghttp2_strerror(static_cast<int>(rv)));
      break;
    }
    kick();  // SETTINGS acks, WINDOW_UPDATEs, and request bodies a window update let through
  }
}

asio::awaitable<void> h2_connection::writer(std::shared_ptr<h2_connection> /*keeps this alive*/) {
  while (!dead_) {
    out_.clear();
    for (;;) {
      const uint8_t* data = nullptr;
      const auto n = nghttp2_session_mem_send(session_, &data);
      if (n < 0) {
        fail(std::string("h2 send: ") + nghttp2_strerror(static_cast<int>(n)));
        co_return;
      }
      if (n == 0) break;
      out_.append(reinterpret_cast<const char*>(data), static_cast<size_t>(n));
      if (out_.size() >= (1u << 20)) break;
    }
    if (out_.empty()) {
      if (closing_ && !nghttp2_session_want_write(session_)) {
        // GOAWAY is out: end the connection (the reader then ends too).
        fail("closed");
        co_return;
      }
      write_wake_.expires_at(asio::steady_timer::time_point::max());
      co_await write_wake_.async_wait(use_tuple);
      continue;
    }
    auto [ec, n] = co_await asio::async_write(sock_, asio::buffer(out_), use_tuple);
    if (ec) {
      fail("write: " + ec.message());
      co_return;
    }
  }
}

int h2_connection::on_header(nghttp2_session* s, const nghttp2_frame* frame, const uint8_t* name, size_t namelen,
                             const uint8_t* value, size_t valuelen, uint8_t, void*) {
  if (frame->hd.type != NGHTTP2_HEADERS) return 0;
  auto* st = static_cast<stream_state*>(nghttp2_session_get_stream_user_data(s, frame->hd.stream_id));
  if (!st) return 0;
  const std::string_view n(reinterpret_cast<const char*>(name), namelen);
  const std::string_view v(reinterpret_cast<const char*>(value), valuelen);
  if (n == ":status") std::from_chars(v.data(), v.data() + v.size(), st->resp.status);
  else if (n == "content-type") st->resp.content_type = v;
  else if (n == "x-amzn-errortype") st->resp.error_type_header = v;
  return 0;
}

int h2_connection::on_frame_recv(nghttp2_session* s, const nghttp2_frame* frame, void* user) {
  auto* self = static_cast<h2_connection*>(user);
  if (frame->hd.type == NGHTTP2_GOAWAY) {
    self->goaway_ = true;
  } else if (frame->hd.type == NGHTTP2_HEADERS && frame->headers.cat == NGHTTP2_HCAT_RESPONSE) {
    auto* st = static_cast<stream_state*>(nghttp2_session_get_stream_user_data(s, frame->hd.stream_id));
    if (st && st->sink && !st->headers_seen && st->sink->on_headers) {
      st->headers_seen = true;
      st->sink->on_headers(st->resp.status, st->resp.content_type);
    }
  }
  return 0;
}

int h2_connection::on_data_chunk(nghttp2_session* s, uint8_t, int32_t stream_id, const uint8_t* data, size_t len,
                                 void*) {
  auto* st = static_cast<stream_state*>(nghttp2_session_get_stream_user_data(s, stream_id));
  if (!st) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data), len);
  if (st->sink && st->sink->on_data && st->resp.status == 200) st->sink->on_data(bytes);
  else st->resp.body.append(bytes);
  return 0;
}

int h2_connection::on_stream_close(nghttp2_session*, int32_t stream_id, uint32_t error_code, void* user) {
  auto* self = static_cast<h2_connection*>(user);
  auto it = self->streams_.find(stream_id);
  if (it == self->streams_.end()) return 0;
  stream_state* st = it->second;
  self->streams_.erase(it);
  if (error_code != NGHTTP2_NO_ERROR && st->resp.status == 0) {
    st->resp.transport_error = std::string("stream reset: ") + nghttp2_http2_strerror(error_code);
  }
  st->finish();
  return 0;
}

ssize_t h2_connection::read_body(nghttp2_session*, int32_t, uint8_t* buf, size_t length, uint32_t* flags,
                                 nghttp2_data_source* source, void*) {
  auto* st = static_cast<stream_state*>(source->ptr);
  const size_t n = std::min(length, st->body.size() - st->sent);
  std::memcpy(buf, st->body.data() + st->sent, n);
  st->sent += n;
  if (st->sent == st->body.size()) *flags |= NGHTTP2_DATA_FLAG_EOF;
  return static_cast<ssize_t>(n);
}

}  // namespace eddy::bench
