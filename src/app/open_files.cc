#include "open_files.h"

#include <sys/resource.h>

#include <algorithm>

#include "eddy/base/log.h"

namespace eddy::app {
namespace {

// RocksDB's files, the listeners, logs and the like, beyond one descriptor per connection.
constexpr rlim_t kOwnFiles = 1024;

}  // namespace

void raise_open_file_limit(uint32_t max_connections) {
  auto logger = log::get("app");
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) != 0) return;
  const rlim_t want = rlim_t{max_connections} + kOwnFiles;
  if (lim.rlim_cur >= want) return;
  const rlim_t before = lim.rlim_cur;
  lim.rlim_cur = lim.rlim_max == RLIM_INFINITY ? want : std::min(want, lim.rlim_max);
  if (lim.rlim_cur > before && ::setrlimit(RLIMIT_NOFILE, &lim) == 0) {
    logger->debug("open-file limit raised from {} to {}", before, lim.rlim_cur);
  } else {
    lim.rlim_cur = before;
  }
  if (lim.rlim_cur < want) {
    logger->warn("the open-file limit ({}, hard {}) is below --max-connections {} plus {} for eddy's own files: "
                 "connections past it wait until others close (raise it with ulimit -n or LimitNOFILE=)",
                 lim.rlim_cur, lim.rlim_max, max_connections, kOwnFiles);
  }
}

}  // namespace eddy::app
