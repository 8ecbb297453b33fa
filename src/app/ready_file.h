#pragma once
// --ready-file: tells a test harness or supervisor that the broker is ready, and where.
//
// Layout: one endpoint URL per listener, each ending in '\n', plain-text listener first:
//   http://127.0.0.1:38211\n
//   https://127.0.0.1:38212\n          (only with --tls-port)
// The file appears whole or not at all (written beside PATH, then renamed over it), so a reader that
// sees it never sees half a line.
#include <string>
#include <vector>

#include "eddy/base/result.h"

namespace eddy::app {

result<void, std::string> write_ready_file(const std::string& path, const std::vector<std::string>& endpoints);

}  // namespace eddy::app
