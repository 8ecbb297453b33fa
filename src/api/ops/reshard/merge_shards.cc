// MergeShards: closes two adjacent open shards and opens one child over both ranges, with
// ParentShardId = ShardToMerge and AdjacentParentShardId = AdjacentShardToMerge.
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
  static const shape s{.k = kind::structure,
                       .members = {{"AdjacentShardToMerge", &model::shapes::shard_id(), true},
                                   {"ShardToMerge", &model::shapes::shard_id(), true},
                                   {"StreamName", &model::shapes::stream_name()},
                                   {"StreamARN", &model::shapes::stream_arn()}}};
  return s;
}

boost::asio::awaitable<op_result<document>> handle(op_context& ctx, document in) {
  auto name = stream_name_of(ctx, in);
  if (!name) co_return fail(std::move(name).error());
  auto lower = shard_to_change(ctx, *name, in["ShardToMerge"].get<std::string>());
  if (!lower) co_return fail(std::move(lower).error());
  auto upper = shard_to_change(ctx, *name, in["AdjacentShardToMerge"].get<std::string>());
  if (!upper) co_return fail(std::move(upper).error());
  auto r = ctx.registry.update_stream(
      ctx.scope, *name,
      [a = *lower, b = *upper](core::stream_meta& s, const core::account_limits&) -> core::result<void> {
        if (auto ok = require_provisioned(s, "MergeShards"); !ok) return ok;
        return core::merge_shards(s, a, b, now_ms());
      },
      true);
  if (!r) co_return fail(to_aws_error(r.error()));
  co_return document::object();
}

}  // namespace

extern const operation merge_shards{"MergeShards", &input, &handle};

}  // namespace eddy::api::ops
