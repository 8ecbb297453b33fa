// SubscribeToShard: checks the consumer, the shard and the starting position, takes the consumer's lease
// on the shard, and answers with an event stream (shard_subscription.h) that the transport pulls.
// Everything found wrong before the stream starts is an ordinary error response.
#include <boost/asio/this_coro.hpp>

#include "../../model/shapes.h"
#include "../data/starting_position.h"
#include "consumer_common.h"
#include "eddy/base/clock.h"
#include "shard_subscription.h"

namespace eddy::api::ops {
namespace {

using codec::document;
using model::kind;
using model::shape;

const shape& input() {
  static const shape position{.k = kind::structure,
                              .members = {{"Type", &start_type_shape(), true},
                                          {"SequenceNumber", &sequence_number_shape()},
                                          {"Timestamp", &model::shapes::timestamp()}}};
  static const shape s{.k = kind::structure,
                       .members = {{"ConsumerARN", &consumer_arn_shape(), true},
                                   {"ShardId", &model::shapes::shard_id(), true},
                                   {"StartingPosition", &position, true},
                                   {"DryRun", &model::shapes::boolean()}}};
  return s;
}

boost::asio::awaitable<op_result<document>> handle(op_context& ctx, document in) {
  auto found = find_consumer(ctx, in);
  if (!found) co_return fail(std::move(found).error());
  const core::stream_meta& s = *found->stream;
  const core::consumer_meta& c = found->consumer;
  if (c.status != core::consumer_status::active) {
    co_return fail(resource_in_use("Consumer " + c.name + " with creation timestamp " +
                                   std::to_string(c.created_ms / 1000) + " under stream: " + s.name + " , account " +
                                   ctx.scope.account + " is not in ACTIVE status."));
  }
  const std::string requested = in["ShardId"].get<std::string>();
  const auto ix = core::parse_shard_id(requested);
  const core::shard_meta* shard = ix ? s.shard(*ix) : nullptr;
  if (!shard) {
    const std::string shown = ix ? core::format_shard_id(*ix) : requested;
    co_return fail(shard_not_found(ctx, s.name, shown));
  }
  auto actor_r = ctx.shards.actor(s.uid, shard->index, !shard->open());
  if (!actor_r) co_return fail(aws_error{"InternalFailure", 500, actor_r.error().detail});
  std::shared_ptr<core::shard_actor> actor = *actor_r;

  const document& pos = in["StartingPosition"];
  start_rule rule{pos["Type"].get<std::string>(), std::nullopt, std::nullopt};
  if (pos.contains("SequenceNumber")) rule.sequence_number = pos["SequenceNumber"].get<std::string>();
  if (pos.contains("Timestamp")) rule.timestamp_ms = codec::timestamp_ms(pos["Timestamp"]);
  auto start = co_await resolve_start(ctx, s, *shard, *actor, rule, "SubscribeToShard");
  if (!start) co_return fail(std::move(start).error());

  const std::string shard_id = core::format_shard_id(shard->index);
  const std::string lease_key = s.consumer_arn(c) + "\n" + shard_id;
  subscription_target target{ctx.scope,
                             s.name,
                             s.uid,
                             s.seq_salt,
                             shard->index,
                             c.name,
                             c.created_ms,
                             lease_key,
                             "Another active subscription exists for this consumer: " + ctx.scope.account + ":" +
                                 s.name + ":" + shard_id + ":" + c.name};
  const std::string in_use = target.in_use_message;
  auto exec = co_await boost::asio::this_coro::executor;
  auto sub = std::make_shared<shard_subscription>(exec, ctx.registry, ctx.shards, ctx.leases, actor, std::move(target),
                                                  *start, ctx.settings.subscription_lifetime_ms, ctx.limits != nullptr);
  const bool granted = ctx.leases->acquire(lease_key, now_ms(), sub);
  if (!granted) {
    actor->probe().throttle();
    co_return fail(resource_in_use(in_use));
  }
  sub->start();
  ctx.stream = std::move(sub);
  co_return document::object();
}

}  // namespace

extern const operation subscribe_to_shard{"SubscribeToShard", &input, &handle};

}  // namespace eddy::api::ops
