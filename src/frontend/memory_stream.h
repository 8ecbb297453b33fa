#pragma once
// memory_stream: a connection without a socket, so that the HTTP/1.1 and HTTP/2 sessions can be driven
// from bytes in memory by the same code that serves sockets (the fuzz targets in tests/fuzz, and tests).
// The client side feeds bytes and ends them; the session reads them as from a socket (end of stream once
// they are read and ended) and everything it writes is collected.
//
// A copyable handle: copies share one connection, so a test keeps one while the session owns another.
// Executor: all of it runs on the executor given at construction, on one thread; not thread-safe.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>

namespace eddy::frontend {

class memory_stream {
 public:
  using executor_type = boost::asio::any_io_executor;

  explicit memory_stream(executor_type ex) : s_(std::make_shared<state>(std::move(ex))) {}

  // The client's side: bytes for the session to read, then the end of them (reads then see EOF).
  void feed(std::string_view bytes) {
    s_->input.append(bytes);
    s_->wake.cancel();
  }
  void end_input() {
    s_->input_ended = true;
    s_->wake.cancel();
  }
  // At most this many bytes per read (default: as many as the reader asks for).
  void set_max_read(size_t n) { s_->max_read = std::max<size_t>(n, 1); }
  bool input_read() const { return s_->read_pos == s_->input.size(); }
  // Everything the session wrote, and whether it closed the connection.
  const std::string& output() const { return s_->output; }
  bool closed() const { return s_->closed; }

  // The session's side: an AsyncReadStream and AsyncWriteStream, plus what the sessions call on a
  // beast::tcp_stream and a socket. Memory has no deadlines.
  executor_type get_executor() const { return s_->ex; }
  void expires_after(std::chrono::steady_clock::duration) {}
  void expires_never() {}
  void close() {
    s_->closed = true;
    s_->wake.cancel();
  }
  // Never opened: shutting it down or closing it does nothing (sessions.h's raw_socket()).
  boost::asio::ip::tcp::socket& socket() { return s_->socket; }

  template <class Buffers, class Token>
  auto async_read_some(const Buffers& buffers, Token&& token) {
    return boost::asio::async_compose<Token, void(boost::system::error_code, size_t)>(
        read_op<Buffers>{s_, buffers}, token, s_->ex);
  }

  template <class Buffers, class Token>
  auto async_write_some(const Buffers& buffers, Token&& token) {
    return boost::asio::async_compose<Token, void(boost::system::error_code, size_t)>(
        write_op<Buffers>{s_, buffers}, token, s_->ex);
  }

 private:
  struct state {
    explicit state(executor_type e) : ex(e), wake(e, std::chrono::steady_clock::time_point::max()), socket(e) {}
    executor_type ex;
    boost::asio::steady_timer wake;  // a pending read waits on it; feed(), end_input() and close() cancel it
    boost::asio::ip::tcp::socket socket;
    std::string input;
    size_t read_pos = 0;
    size_t max_read = SIZE_MAX;
    bool input_ended = false;
    std::string output;
    bool closed = false;
  };

  // Completes with the next bytes, EOF once the input is read and ended, or operation_aborted when the
  // caller cancels it (HTTP/2's reader || writer). Never completes inside the initiating call.
  template <class Buffers>
  struct read_op {
    std::shared_ptr<state> s;
    Buffers buffers;
    bool started = false;

    template <class Self>
    void operator()(Self& self, boost::system::error_code ec = {}) {
      if (!started) {
        started = true;
        boost::asio::post(s->ex, std::move(self));
        return;
      }
      if (ec == boost::asio::error::operation_aborted && self.cancelled() != boost::asio::cancellation_type::none) {
        self.complete(ec, 0);
        return;
      }
      if (s->closed) {
        self.complete(boost::asio::error::bad_descriptor, 0);
        return;
      }
      if (s->read_pos < s->input.size()) {
        const size_t avail = std::min(s->input.size() - s->read_pos, s->max_read);
        const size_t n = boost::asio::buffer_copy(buffers, boost::asio::buffer(s->input.data() + s->read_pos, avail));
        s->read_pos += n;
        self.complete({}, n);
        return;
      }
      if (s->input_ended) {
        self.complete(boost::asio::error::eof, 0);
        return;
      }
      s->wake.expires_at(std::chrono::steady_clock::time_point::max());
      s->wake.async_wait(std::move(self));
    }
  };

  // Takes every byte, unless the connection was closed.
  template <class Buffers>
  struct write_op {
    std::shared_ptr<state> s;
    Buffers buffers;
    bool started = false;

    template <class Self>
    void operator()(Self& self) {
      if (!started) {
        started = true;
        boost::asio::post(s->ex, std::move(self));
        return;
      }
      if (s->closed) {
        self.complete(boost::asio::error::broken_pipe, 0);
        return;
      }
      const size_t n = boost::asio::buffer_size(buffers);
      const size_t at = s->output.size();
      s->output.resize(at + n);
      boost::asio::buffer_copy(boost::asio::buffer(s->output.data() + at, n), buffers);
      self.complete({}, n);
    }
  };

  std::shared_ptr<state> s_;
};

}  // namespace eddy::frontend
