// UpdateShardCount: UNIFORM_SCALING to TargetShardCount open shards, done as splits and merges with
// their lineage (core/reshard.h), within AWS's limits: at most double, at least half, ten per day.
#include "../../model/shapes.h"
#include "eddy/base/clock.h"
#include "eddy/core/reshard.h"
#include "reshard_common.h"

namespace eddy::api::ops {
namespace {

using codec::document;
using model::kind;
using model::shape;

const shape& input() {
  static const shape target{.k = kind::integer, .min_value = 1};
  static const shape scaling{.k = kind::string, .enum_values = {"UNIFORM_SCALING"}};
  static const shape s{.k = kind::structure,
                       .members = {{"ScalingType", &scaling, true},
                                   {"StreamName", &model::shapes::stream_name()},
                                   {"StreamARN", &model::shapes::stream_arn()},
                                   {"TargetShardCount", &target, true}}};
  return s;
}

boost::asio::awaitable<op_result<document>> handle(op_context& ctx, document in) {
  auto name = stream_name_of(ctx, in);
  if (!name) co_return fail(std::move(name).error());
  const int64_t requested = in["TargetShardCount"].get<int64_t>();
  // Anything this large fails the shard-limit check; clamping keeps it in range for that check.
  const auto target = static_cast<uint32_t>(std::min<int64_t>(requested, 1 << 30));
  auto before = find_stream(ctx, *name);
  if (!before) co_return fail(std::move(before).error());
  // The edit may run again when a delayed update lands, after this call returned: it captures values only.
  auto r = ctx.registry.update_stream(
      ctx.scope, *name,
      [target](core::stream_meta& s, const core::account_limits& account) -> core::result<void> {
        if (auto ok = require_provisioned(s, "UpdateShardCount"); !ok) return ok;
        return core::scale_uniformly(s, target, now_ms(), account);
      },
      true);
  if (!r) co_return fail(to_aws_error(r.error()));
  document out = document::object();
  out["StreamName"] = *name;
  out["CurrentShardCount"] = (*before)->open_shard_count();
  out["TargetShardCount"] = requested;
  out["StreamARN"] = (*before)->arn();
  co_return out;
}

}  // namespace

extern const operation update_shard_count{"UpdateShardCount", &input, &handle};

}  // namespace eddy::api::ops
