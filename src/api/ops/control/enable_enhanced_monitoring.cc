// EnableEnhancedMonitoring: turns shard-level metrics on (ALL names every one). The stream shows
// UPDATING for --update-stream-ms; the answer gives the metrics before and after, as AWS's does.
#include "stream_settings.h"

namespace eddy::api::ops {
namespace {

boost::asio::awaitable<op_result<codec::document>> handle(op_context& ctx, codec::document in) {
  return change_monitoring(ctx, std::move(in), true);
}

}  // namespace

extern const operation enable_enhanced_monitoring{"EnableEnhancedMonitoring", &monitoring_input, &handle};

}  // namespace eddy::api::ops
