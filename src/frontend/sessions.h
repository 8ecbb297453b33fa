#pragma once
// The two session kinds a sniffed connection is handed to. Both run on the connection's strand.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <memory>
#include <string>

#include "shared_state.h"

namespace eddy::frontend {

// `prefix` holds the bytes already read while sniffing.
boost::asio::awaitable<void> run_http1_session(boost::asio::ip::tcp::socket socket, std::string prefix,
                                               std::shared_ptr<shared_state> state);
boost::asio::awaitable<void> run_http2_session(boost::asio::ip::tcp::socket socket, std::string prefix,
                                               std::shared_ptr<shared_state> state);

}  // namespace eddy::frontend
