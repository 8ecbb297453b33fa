// IncreaseStreamRetentionPeriod: lengthens how long records stay readable (24..8760 hours). The
// stream shows UPDATING for --update-stream-ms first; the retention worker and GetRecords read the
// new value from the metadata.
#include "stream_settings.h"

namespace eddy::api::ops {
namespace {

boost::asio::awaitable<op_result<codec::document>> handle(op_context& ctx, codec::document in) {
  return change_retention(ctx, std::move(in), true);
}

}  // namespace

extern const operation increase_stream_retention_period{"IncreaseStreamRetentionPeriod", &retention_input,
                                                        &handle};

}  // namespace eddy::api::ops
