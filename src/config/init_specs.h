#pragma once
// The start-up lists' little languages, comma-separated:
//   --init-streams   "orders:4,clicks:2:on-demand,audit"   name[:shards[:provisioned|on-demand]]
//   --init-consumers "orders:analytics,orders:audit"      stream:consumer
// Names follow AWS's rules ([a-zA-Z0-9_.-]{1,128}), so ':' and ',' can never be part of one.
#include <string>
#include <vector>

#include "eddy/base/result.h"
#include "eddy/config/config.h"

namespace eddy::config {

result<std::vector<init_stream>, std::string> parse_init_streams(const std::string& text);
result<std::vector<init_consumer>, std::string> parse_init_consumers(const std::string& text);

}  // namespace eddy::config
