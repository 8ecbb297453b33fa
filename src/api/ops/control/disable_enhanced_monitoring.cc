// DisableEnhancedMonitoring: turns shard-level metrics off (ALL names every one). The stream shows
// UPDATING for --update-stream-ms; the answer gives the metrics before and after, as AWS's does.
#include "stream_settings.h"

namespace eddy::api::ops {
namespace {

boost::asio::awaitable<op_result<codec::document>> handle(op_context& ctx, codec::document in) {
  return change_monitoring(ctx, std::move(in), false);
}

}  // namespace

extern const operation disable_enhanced_monitoring{"DisableEnhancedMonitoring", &monitoring_input, &handle};

}  // namespace eddy::api::ops
