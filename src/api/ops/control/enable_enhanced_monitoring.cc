// EnableEnhancedMonitoring: turns shard-level metrics on (ALL names every one). The stream shows
// UPDATING for --update-stream-ms; the answer gives the metrics before and after, as AWS's does.
#include <memory>

#include "../../model/shapes.h"
#include "stream_settings.h"

namespace eddy::api::ops {
namespace {

using codec::document;

const model::shape& input() {
  static const model::shape s{.k = model::kind::structure,
                              .members = {{"StreamName", &model::shapes::stream_name()},
                                          {"ShardLevelMetrics", &metrics_list_shape(), true},
                                          {"StreamARN", &model::shapes::stream_arn()}}};
  return s;
}

struct change {
  bool seen = false;
  std::vector<std::string> before;
  std::vector<std::string> after;
};

boost::asio::awaitable<op_result<document>> handle(op_context& ctx, document in) {
  auto name = stream_name_of(ctx, in);
  if (!name) co_return fail(std::move(name).error());
  // The edit runs again when UPDATING ends, possibly after this call returned: it records only what
  // its first run, inside update_stream(), saw.
  auto first = std::make_shared<change>();
  auto edit = [first, metrics = metrics_of(in["ShardLevelMetrics"])](
                  core::stream_meta& next, const core::account_limits&) -> core::result<void> {
    auto after = merge_metrics(next.shard_level_metrics, metrics, true);
    if (!first->seen) *first = {true, next.shard_level_metrics, after};
    next.shard_level_metrics = std::move(after);
    return {};
  };
  if (auto r = ctx.registry.update_stream(ctx.scope, *name, edit, true); !r)
    co_return fail(to_aws_error(r.error()));
  document out = document::object();
  out["StreamName"] = *name;
  out["StreamARN"] = core::stream_arn(ctx.scope, *name);
  out["CurrentShardLevelMetrics"] = first->before;
  out["DesiredShardLevelMetrics"] = first->after;
  co_return out;
}

}  // namespace

extern const operation enable_enhanced_monitoring{"EnableEnhancedMonitoring", &input, &handle};

}  // namespace eddy::api::ops
