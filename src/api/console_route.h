#pragma once
// console_route: GET /console and /console/<file> from the console files compiled into the binary
// (eddy/console/console_assets.h). It sits beside /metrics in the request pipeline but is no Kinesis call:
// the page it serves talks to eddy through the Kinesis API and /metrics like any other client.
//
// Who may see it (--console): loopback serves peers on 127.0.0.0/8 and ::1 (and their IPv4-mapped IPv6
// forms) and answers everyone else 404, as if there were no console; on serves everyone; off no one.
//
// Thread safety: immutable after construction; serve() may run concurrently on any executor.
#include <optional>
#include <string_view>

#include <boost/asio/ip/address.hpp>

#include "eddy/api/http_types.h"
#include "eddy/config/config.h"

namespace eddy::api {

class console_route {
 public:
  explicit console_route(config::console_mode mode) : mode_(mode) {}

  // True for "/console" and "/console/..." (the query already removed): every method on them is answered
  // here, so none reaches the Kinesis checks.
  static bool matches(std::string_view path);

  http_response serve(const http_request& req) const;

 private:
  config::console_mode mode_;
};

// 127.0.0.0/8, ::1, and ::ffff:127.0.0.0/104 (a v4 loopback peer of a dual-stack listener).
bool is_loopback_peer(const boost::asio::ip::address& peer);

// The Content-Type of a console file, from its extension.
std::string_view console_content_type(std::string_view path);

}  // namespace eddy::api
