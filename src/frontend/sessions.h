#pragma once
// The two session kinds a sniffed connection is handed to. Both run on the connection's strand.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <memory>
#include <optional>
#include <string>

#include "memory_stream.h"
#include "shared_state.h"

namespace eddy::frontend {

// A TLS connection: the handshake timeout lives in the tcp_stream underneath.
using tls_stream = boost::asio::ssl::stream<boost::beast::tcp_stream>;

// `prefix` holds the bytes already read while sniffing.
boost::asio::awaitable<void> run_http1_session(boost::asio::ip::tcp::socket socket, std::string prefix,
                                               std::shared_ptr<shared_state> state);
boost::asio::awaitable<void> run_http1_session(tls_stream stream, std::string prefix,
                                               std::shared_ptr<shared_state> state);
boost::asio::awaitable<void> run_http2_session(boost::asio::ip::tcp::socket socket, std::string prefix,
                                               std::shared_ptr<shared_state> state);
boost::asio::awaitable<void> run_http2_session(tls_stream stream, std::string prefix,
                                               std::shared_ptr<shared_state> state);
// The same sessions over bytes in memory (memory_stream.h): the fuzz targets and tests use these.
boost::asio::awaitable<void> run_http1_session(memory_stream stream, std::string prefix,
                                               std::shared_ptr<shared_state> state);
boost::asio::awaitable<void> run_http2_session(memory_stream stream, std::string prefix,
                                               std::shared_ptr<shared_state> state);

// The TCP socket under either kind of stream (for shutdown and close).
inline boost::asio::ip::tcp::socket& raw_socket(boost::asio::ip::tcp::socket& s) { return s; }
inline boost::asio::ip::tcp::socket& raw_socket(boost::beast::tcp_stream& s) { return s.socket(); }
inline boost::asio::ip::tcp::socket& raw_socket(tls_stream& s) { return s.next_layer().socket(); }
inline boost::asio::ip::tcp::socket& raw_socket(memory_stream& s) { return s.socket(); }

// The peer's address, or nullopt when the socket has none (a memory stream, or a peer already gone).
template <class Stream>
std::optional<boost::asio::ip::address> peer_address(Stream& s) {
  boost::system::error_code ec;
  const auto ep = raw_socket(s).remote_endpoint(ec);
  if (ec) return std::nullopt;
  return ep.address();
}

}  // namespace eddy::frontend
