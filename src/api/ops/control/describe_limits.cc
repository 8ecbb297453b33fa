// DescribeLimits: the account's shard quota and use in the caller's region.
#include "../common.h"

namespace eddy::api::ops {
namespace {

using codec::document;

const model::shape& input() {
  static const model::shape s{.k = model::kind::structure};
  return s;
}

boost::asio::awaitable<op_result<document>> handle(op_context& ctx, document) {
  const auto l = ctx.registry.limits(ctx.scope);
  co_return document{{"ShardLimit", l.shard_limit},
                     {"OpenShardCount", l.open_shard_count},
                     {"OnDemandStreamCount", l.on_demand_stream_count},
                     {"OnDemandStreamCountLimit", l.on_demand_stream_count_limit}};
}

}  // namespace

extern const operation describe_limits{"DescribeLimits", &input, &handle};

}  // namespace eddy::api::ops
