#pragma once
// Where a reader starts in a shard: GetShardIterator's ShardIteratorType and SubscribeToShard's
// StartingPosition name the same five rules, and AWS words their errors the same way.
#include <optional>
#include <string>

#include "../common.h"

namespace eddy::api::ops {

struct start_rule {
  std::string type;  // AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER, TRIM_HORIZON, LATEST or AT_TIMESTAMP
  std::optional<std::string> sequence_number;
  std::optional<int64_t> timestamp_ms;
};

// The enum shape of `type` and the pattern of a sequence number, for input shapes.
const model::shape& start_type_shape();
const model::shape& sequence_number_shape();

// The first position a reader following `rule` gets (never below the trim horizon). `operation` names the
// caller in AWS's error messages.
boost::asio::awaitable<op_result<uint64_t>> resolve_start(op_context& ctx, const core::stream_meta& s,
                                                          const core::shard_meta& shard, core::shard_actor& actor,
                                                          const start_rule& rule, std::string_view operation);

}  // namespace eddy::api::ops
