#pragma once
// The process's open-file limit, raised to what --max-connections needs. Each connection is a file
// descriptor, and Debian's default soft limit (1024) would stop a broker allowed 10,000 connections at
// about a thousand, with accept() failing instead of the connection limit answering. Only the binary
// does this: a process that embeds the broker owns its own limits.
#include <cstdint>

namespace eddy::app {

// Raises the soft RLIMIT_NOFILE towards the hard one (as far as max_connections plus the broker's own
// files need, and no further), and warns when even the hard limit is short of that.
void raise_open_file_limit(uint32_t max_connections);

}  // namespace eddy::app
