// GetShardIterator: a position in a shard, by one of five rules, sealed into an opaque iterator.
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

const shape& input() {
  static const shape type{.k = kind::string,
                          .enum_values = {"AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER", "TRIM_HORIZON", "LATEST",
                                          "AT_TIMESTAMP"}};
  static const shape seq{.k = kind::string, .regex = model::make_pattern("0|([1-9]\\d{0,128})")};
  static const shape s{.k = kind::structure,
                       .members = {{"ShardId", &model::shapes::shard_id(), true},
                                   {"ShardIteratorType", &type, true},
                                   {"StartingSequenceNumber", &seq},
                                   {"StreamName", &model::shapes::stream_name()},
                                   {"StreamARN", &model::shapes::stream_arn()},
                                   {"Timestamp", &model::shapes::timestamp()}}};
  return s;
}

std::string must_either(const std::string& type, bool has_seq) {
  return "Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or (2) "
         "TRIM_HORIZON or LATEST and no StartingSequenceNumber. Request specified " +
         type + (has_seq ? " and also a StartingSequenceNumber." : " and no StartingSequenceNumber.");
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
    co_return fail(resource_not_found("Shard " + shown + " in stream " + s.name + " under account " +
                                      ctx.scope.account + " does not exist"));
  }
  const std::string shard_id = core::format_shard_id(shard->index);
  auto actor_r = ctx.shards.actor(s.uid, shard->index);
  if (!actor_r) co_return fail(aws_error{"InternalFailure", 500, actor_r.error().detail});
  const auto& actor = *actor_r;

  const std::string type = in["ShardIteratorType"].get<std::string>();
  const bool has_seq = in.contains("StartingSequenceNumber");
  uint64_t position = 0;
  if (type == "AT_SEQUENCE_NUMBER" || type == "AFTER_SEQUENCE_NUMBER") {
    if (!has_seq) co_return fail(invalid_argument(must_either(type, false)));
    const std::string text = in["StartingSequenceNumber"].get<std::string>();
    const auto parts = core::parse_sequence_number(text);
    const std::string where = " used in GetShardIterator on shard " + shard_id + " in stream " + s.name +
                              " under account " + ctx.scope.account + " is invalid";
    if (!parts) co_return fail(invalid_argument("StartingSequenceNumber " + text + where + "."));
    if (parts->salt != s.seq_salt) {
      co_return fail(invalid_argument("StartingSequenceNumber " + text + where + " because it did not come from this stream."));
    }
    if (parts->shard != shard->index) {
      co_return fail(invalid_argument("Invalid StartingSequenceNumber. It encodes " + core::format_shard_id(parts->shard) +
                                      ", while it was used in a call to a shard with " + shard_id));
    }
    position = parts->pos.get() + (type == "AFTER_SEQUENCE_NUMBER" ? 1 : 0);
  } else if (has_seq && (type == "TRIM_HORIZON" || type == "LATEST")) {
    co_return fail(invalid_argument(must_either(type, true)));
  } else if (type == "TRIM_HORIZON") {
    position = actor->trim_position();
  } else if (type == "LATEST") {
    position = actor->next_position();
  } else {  // AT_TIMESTAMP
    if (!in.contains("Timestamp")) {
      co_return fail(invalid_argument("Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. "
                                      "Current request has no timestamp parameter."));
    }
    const int64_t ts = codec::timestamp_ms(in["Timestamp"]);
    const int64_t now = now_ms();
    if (ts > now) {
      co_return fail(invalid_argument("The timestampInMillis parameter cannot be greater than the "
                                      "currentTimestampInMillis. timestampInMillis: " + std::to_string(ts) +
                                      ", currentTimestampInMillis: " + std::to_string(now)));
    }
    const auto key = actor->key();
    offload_job<storage::result<std::optional<uint64_t>>> seek{
        ctx.shards.storage_executor(), [&store = ctx.shards.store(), key, ts] { return store.seek_time(key, ts); }, {}};
    co_await run(seek);
    const auto& found = *seek.result;
    if (!found) co_return fail(aws_error{"InternalFailure", 500, found.error().detail});
    position = found->value_or(actor->next_position());
  }
  position = std::max(position, actor->trim_position());
  const std::string iterator =
      ctx.iterators.encode({s.uid, shard->index, position, now_ms(), ctx.scope, s.name});
  co_return document{{"ShardIterator", iterator}};
}

}  // namespace

extern const operation get_shard_iterator{"GetShardIterator", &input, &handle};

}  // namespace eddy::api::ops
