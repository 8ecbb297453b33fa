#pragma once
// The streams and consumers named by --init-streams and --init-consumers, made before the broker reports
// ready, in the --account-id / --region scope (the one unsigned and default-region requests land in).
//
// Idempotent across restarts: a stream or consumer that already exists is kept as it is, with its
// records; a stream whose shard count or mode differs from the flag gets a warning, not a reshard.
#include <string>

#include "eddy/base/result.h"
#include "eddy/config/config.h"
#include "eddy/core/stream_registry.h"

namespace eddy::app {

// The error names the stream or consumer and AWS's reason (a shard limit, say).
result<void, std::string> create_init_streams(core::stream_registry& registry, const config::settings& settings);

}  // namespace eddy::app
