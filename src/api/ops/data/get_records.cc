// GetRecords: up to Limit records (10 MiB at most) from an iterator's position, and a fresh iterator.
#include "../../throttle_errors.h"
#include "../../throughput_limits.h"
#include "../../async_bridge.h"
#include "../../model/shapes.h"
#include "../common.h"
#include "eddy/base/clock.h"
#include "eddy/core/sequence_number.h"

namespace eddy::api::ops {
namespace {

using codec::document;
using model::kind;
using model::shape;

constexpr size_t kMaxResponseBytes = 10u << 20;
constexpr int64_t kDefaultLimit = 10000;

const shape& input() {
  static const shape iterator{.k = kind::string, .min_length = 1, .max_length = 512};
  static const shape s{.k = kind::structure,
                       .members = {{"Limit", &model::shapes::list_limit()},
                                   {"ShardIterator", &iterator, true},
                                   {"StreamARN", &model::shapes::stream_arn()},
                                   {"DryRun", &model::shapes::boolean()}}};
  return s;
}

boost::asio::awaitable<op_result<document>> handle(op_context& ctx, document in) {
  const auto state = ctx.iterators.decode(in["ShardIterator"].get<std::string>());
  if (!state || state->scope != ctx.scope) co_return fail(invalid_argument("Invalid ShardIterator."));
  const int64_t now = now_ms();
  if (now - state->issued_ms > core::iterator_lifetime_ms) {
    co_return fail(aws_error{"ExpiredIteratorException", 400,
                             "Iterator expired. The iterator was created at time " + core::amz_utc_string(state->issued_ms) +
                                 " while right now it is " + core::amz_utc_string(now) +
                                 " which is further in the future than the tolerated delay of 300000 milliseconds."});
  }
  const std::string shard_id = core::format_shard_id(state->shard);
  auto gone = [&] { return shard_not_found(ctx, state->stream_name, shard_id); };
  auto stream = ctx.registry.get(ctx.scope, state->stream_name);
  if (!stream || (*stream)->uid != state->stream_uid || !(*stream)->shard(state->shard)) co_return fail(gone());
  const core::stream_meta& s = **stream;
  const core::shard_meta& shard = *s.shard(state->shard);
  auto actor_r = ctx.shards.actor(s.uid, state->shard, !shard.open());
  if (!actor_r) co_return fail(aws_error{"InternalFailure", 500, actor_r.error().detail});
  std::shared_ptr<core::shard_actor> actor = *actor_r;

  if (ctx.limits && !ctx.limits->admit_read(s.uid, state->shard)) {
    actor->probe().throttle();
    co_return fail(shard_throttled(shard_id, s.name, ctx.scope.account));
  }

  const size_t limit = static_cast<size_t>(in.value("Limit", kDefaultLimit));
  const int64_t cutoff = now - int64_t{s.retention_hours} * 3'600'000;
  offload_job<storage::result<core::read_batch>> read{
      ctx.shards.storage_executor(),
      [&dir = ctx.shards, a = actor.get(), from = state->position, limit, cutoff] {
        return dir.read(*a, from, limit, kMaxResponseBytes, cutoff);
      },
      {}};
  co_await run(read);
  auto& batch = *read.result;
  if (!batch) co_return fail(aws_error{"InternalFailure", 500, batch.error().detail});

  if (ctx.limits) ctx.limits->charge_read(s.uid, state->shard, batch->bytes);
  document records = records_document(s, state->shard, batch->records);
  const bool caught_up = batch->next_position >= actor->next_position();
  const int64_t behind =
      caught_up || batch->records.empty() ? 0 : std::max<int64_t>(0, now - batch->records.back().arrival_ms);
  actor->probe().read(batch->records.size(), batch->bytes, behind);
  document out = document::object();
  out["Records"] = std::move(records);
  // The end of a closed shard: no further iterator, and the children to go on with (KCL's SHARD_END). A
  // closed shard counts as ended only once sealed, when no accepted record can still land in it.
  const bool at_end = !shard.open() && actor->sealed() && batch->next_position >= actor->next_position();
  if (at_end) {
    out["ChildShards"] = child_shards_document(s, state->shard);
  } else {
    out["NextShardIterator"] =
        ctx.iterators.encode({s.uid, state->shard, batch->next_position, now, ctx.scope, s.name});
  }
  out["MillisBehindLatest"] = behind;
  co_return out;
}

}  // namespace

extern const operation get_records{"GetRecords", &input, &handle};

}  // namespace eddy::api::ops
