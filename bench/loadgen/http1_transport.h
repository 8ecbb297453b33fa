#pragma once
// HTTP/1.1 keep-alive transport; see transport.h.
#include "transport.h"

namespace eddy::bench {

std::unique_ptr<transport> make_http1_transport(asio::any_io_executor ex, endpoint_address addr);

}  // namespace eddy::bench
