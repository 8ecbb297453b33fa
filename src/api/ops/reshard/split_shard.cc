// SplitShard: closes one open shard and opens two children that share its hash range at
// NewStartingHashKey (core/reshard.h). The stream is UPDATING until the split lands.
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
  static const shape hash_key{.k = kind::string, .regex = model::make_pattern("0|([1-9]\\d{0,38})")};
  static const shape s{.k = kind::structure,
                       .members = {{"NewStartingHashKey", &hash_key, true},
                                   {"ShardToSplit", &model::shapes::shard_id(), true},
                                   {"StreamName", &model::shapes::stream_name()},
                                   {"StreamARN", &model::shapes::stream_arn()}}};
  return s;
}

boost::asio::awaitable<op_result<document>> handle(op_context& ctx, document in) {
  auto name = stream_name_of(ctx, in);
  if (!name) co_return fail(std::move(name).error());
  auto shard = shard_to_change(ctx, *name, in["ShardToSplit"].get<std::string>());
  if (!shard) co_return fail(std::move(shard).error());
  const std::string text = in["NewStartingHashKey"].get<std::string>();
  const auto key = parse_decimal(text);
  if (!key) {
    // 39 digits can exceed 2^128-1, which no shard's range reaches: the shard is checked first, as always.
    auto stream = find_stream(ctx, *name);
    if (!stream) co_return fail(std::move(stream).error());
    const core::shard_meta* sh = (*stream)->shard(*shard);
    if (!sh) {
      co_return fail(resource_not_found("Could not find shard " + core::format_shard_id(*shard) + " in stream " +
                                        *name + " under account " + ctx.scope.account + "."));
    }
    co_return fail(invalid_argument("NewStartingHashKey " + text + " used in SplitShard() on shard " +
                                    core::format_shard_id(*shard) + " in stream " + *name + " under account " +
                                    ctx.scope.account + " is not both greater than one plus the shard's StartingHashKey " +
                                    to_decimal(sh->range.start) + " and less than the shard's EndingHashKey " +
                                    to_decimal(sh->range.end) + "."));
  }
  auto r = ctx.registry.update_stream(
      ctx.scope, *name,
      [ix = *shard, at = *key](core::stream_meta& s, const core::account_limits& account) -> core::result<void> {
        if (auto ok = require_provisioned(s, "SplitShard"); !ok) return ok;
        return core::split_shard(s, ix, at, now_ms(), account);
      },
      true);
  if (!r) co_return fail(to_aws_error(r.error()));
  co_return document::object();
}

}  // namespace

extern const operation split_shard{"SplitShard", &input, &handle};

}  // namespace eddy::api::ops
