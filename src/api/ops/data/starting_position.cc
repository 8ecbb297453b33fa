#include "starting_position.h"

#include "../../async_bridge.h"
#include "eddy/base/clock.h"
#include "eddy/core/sequence_number.h"

namespace eddy::api::ops {
namespace {

std::string must_either(const std::string& type, bool has_seq) {
  return "Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or (2) "
         "TRIM_HORIZON or LATEST and no StartingSequenceNumber. Request specified " +
         type + (has_seq ? " and also a StartingSequenceNumber." : " and no StartingSequenceNumber.");
}

}  // namespace

const model::shape& start_type_shape() {
  static const model::shape s{.k = model::kind::string,
                              .enum_values = {"AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER", "TRIM_HORIZON", "LATEST",
                                              "AT_TIMESTAMP"}};
  return s;
}

const model::shape& sequence_number_shape() {
  static const model::shape s{.k = model::kind::string, .regex = model::make_pattern("0|([1-9]\\d{0,128})")};
  return s;
}

boost::asio::awaitable<op_result<uint64_t>> resolve_start(op_context& ctx, const core::stream_meta& s,
                                                          const core::shard_meta& shard, core::shard_actor& actor,
                                                          const start_rule& rule, std::string_view operation) {
  const std::string shard_id = core::format_shard_id(shard.index);
  const std::string& type = rule.type;
  const bool has_seq = rule.sequence_number.has_value();
  uint64_t position = 0;
  if (type == "AT_SEQUENCE_NUMBER" || type == "AFTER_SEQUENCE_NUMBER") {
    if (!has_seq) co_return fail(invalid_argument(must_either(type, false)));
    const std::string& text = *rule.sequence_number;
    const auto parts = core::parse_sequence_number(text);
    const std::string where = " used in " + std::string(operation) + " on shard " + shard_id + " in stream " + s.name +
                              " under account " + ctx.scope.account + " is invalid";
    if (!parts) co_return fail(invalid_argument("StartingSequenceNumber " + text + where + "."));
    if (parts->salt != s.seq_salt) {
      co_return fail(invalid_argument("StartingSequenceNumber " + text + where + " because it did not come from this stream."));
    }
    if (parts->shard != shard.index) {
      co_return fail(invalid_argument("Invalid StartingSequenceNumber. It encodes " + core::format_shard_id(parts->shard) +
                                      ", while it was used in a call to a shard with " + shard_id));
    }
    position = parts->pos.get() + (type == "AFTER_SEQUENCE_NUMBER" ? 1 : 0);
  } else if (has_seq && (type == "TRIM_HORIZON" || type == "LATEST")) {
    co_return fail(invalid_argument(must_either(type, true)));
  } else if (type == "TRIM_HORIZON") {
    position = actor.trim_position();
  } else if (type == "LATEST") {
    position = actor.next_position();
  } else {  // AT_TIMESTAMP
    if (!rule.timestamp_ms) {
      co_return fail(invalid_argument("Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. "
                                      "Current request has no timestamp parameter."));
    }
    const int64_t ts = *rule.timestamp_ms;
    const int64_t now = now_ms();
    if (ts > now) {
      co_return fail(invalid_argument("The timestampInMillis parameter cannot be greater than the "
                                      "currentTimestampInMillis. timestampInMillis: " + std::to_string(ts) +
                                      ", currentTimestampInMillis: " + std::to_string(now)));
    }
    const auto key = actor.key();
    offload_job<storage::result<std::optional<uint64_t>>> seek{
        ctx.shards.storage_executor(), [&store = ctx.shards.store(), key, ts] { return store.seek_time(key, ts); }, {}};
    co_await run(seek);
    const auto& found = *seek.result;
    if (!found) co_return fail(aws_error{"InternalFailure", 500, found.error().detail});
    position = found->value_or(actor.next_position());
  }
  co_return std::max(position, actor.trim_position());
}

}  // namespace eddy::api::ops
