// GetShardIterator: a position in a shard, by one of five rules (starting_position.h), sealed into an
// opaque iterator.
#include "../../throttle_errors.h"
#include "../../throughput_limits.h"
#include "../../model/shapes.h"
#include "starting_position.h"
#include "eddy/base/clock.h"

namespace eddy::api::ops {
namespace {

using codec::document;
using model::kind;
using model::shape;

const shape& input() {
  static const shape s{.k = kind::structure,
                       .members = {{"ShardId", &model::shapes::shard_id(), true},
                                   {"ShardIteratorType", &start_type_shape(), true},
                                   {"StartingSequenceNumber", &sequence_number_shape()},
                                   {"StreamName", &model::shapes::stream_name()},
                                   {"StreamARN", &model::shapes::stream_arn()},
                                   {"Timestamp", &model::shapes::timestamp()},
                                   {"DryRun", &model::shapes::boolean()}}};
  return s;
}

boost::asio::awaitable<op_result<document>> handle(op_context& ctx, document in) {
  auto stream = find_named_stream(ctx, in);
  if (!stream) co_return fail(std::move(stream).error());
  const core::stream_meta& s = **stream;

  const std::string requested = in["ShardId"].get<std::string>();
  const auto ix = core::parse_shard_id(requested);
  const core::shard_meta* shard = ix ? s.shard(*ix) : nullptr;
  if (!shard || s.status == core::stream_status::creating) {
    const std::string shown = ix ? core::format_shard_id(*ix) : requested;
    co_return fail(shard_not_found(ctx, s.name, shown));
  }
  auto actor_r = ctx.shards.actor(s.uid, shard->index, !shard->open());
  if (!actor_r) co_return fail(aws_error{"InternalFailure", 500, actor_r.error().detail});
  const auto& actor = *actor_r;
  if (ctx.limits && !ctx.limits->admit_iterator(s.uid, shard->index)) {
    actor->probe().throttle();
    co_return fail(shard_throttled(core::format_shard_id(shard->index), s.name, ctx.scope.account));
  }

  start_rule rule{in["ShardIteratorType"].get<std::string>(), std::nullopt, std::nullopt};
  if (in.contains("StartingSequenceNumber")) rule.sequence_number = in["StartingSequenceNumber"].get<std::string>();
  if (in.contains("Timestamp")) rule.timestamp_ms = codec::timestamp_ms(in["Timestamp"]);
  auto position = co_await resolve_start(ctx, s, *shard, *actor, rule, "GetShardIterator");
  if (!position) co_return fail(std::move(position).error());
  const std::string iterator =
      ctx.iterators.encode({s.uid, shard->index, *position, now_ms(), ctx.scope, s.name});
  co_return document{{"ShardIterator", iterator}};
}

}  // namespace

extern const operation get_shard_iterator{"GetShardIterator", &input, &handle};

}  // namespace eddy::api::ops
