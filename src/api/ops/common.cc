#include "common.h"

#include "eddy/base/base64.h"
#include "eddy/base/clock.h"
#include "eddy/codec/json_codec.h"
#include "eddy/codec/record_list.h"
#include "eddy/core/sequence_number.h"

namespace eddy::api::ops {

using codec::document;

op_result<std::string> stream_name_of(const op_context& ctx, const document& in) {
  const auto name = in.find("StreamName");
  const auto arn = in.find("StreamARN");
  if (arn == in.end()) {
    if (name == in.end()) return fail(invalid_argument("Either StreamName or StreamARN should be provided."));
    return name->get<std::string>();
  }
  // arn:<partition>:kinesis:<region>:<account>:stream/<name>; the shape's pattern has been checked.
  const std::string& text = arn->get_ref<const std::string&>();
  std::vector<std::string> parts;
  size_t start = 0;
  for (int i = 0; i < 5; ++i) {
    const size_t colon = text.find(':', start);
    parts.push_back(text.substr(start, colon - start));
    start = colon + 1;
  }
  const std::string resource = text.substr(start);
  const std::string arn_name = resource.substr(resource.find('/') + 1);
  if (name != in.end() && name->get<std::string>() != arn_name) {
    return fail(invalid_argument("StreamARN " + text + " and StreamName " + name->get<std::string>() +
                                 " do not refer to the same stream."));
  }
  if (parts[3] != ctx.scope.region || parts[4] != ctx.scope.account) {
    return fail(resource_not_found("Stream " + arn_name + " under account " + parts[4] + " not found."));
  }
  return arn_name;
}

op_result<std::shared_ptr<const core::stream_meta>> find_stream(const op_context& ctx, const std::string& name) {
  auto s = ctx.registry.get(ctx.scope, name);
  if (!s) return fail(to_aws_error(s.error()));
  return std::move(s).value();
}

op_result<std::shared_ptr<const core::stream_meta>> find_named_stream(const op_context& ctx, const document& in) {
  auto name = stream_name_of(ctx, in);
  if (!name) return fail(std::move(name).error());
  return find_stream(ctx, *name);
}

aws_error shard_not_found(const op_context& ctx, const std::string& stream, const std::string& shard_id) {
  return resource_not_found("Shard " + shard_id + " in stream " + stream + " under account " + ctx.scope.account +
                            " does not exist");
}

document records_document(const core::stream_meta& s, core::shard_index shard,
                          const std::vector<core::stored_record>& records) {
  // Packed, not a tree: one buffer for what can be 10,000 records (codec/record_list.h).
  size_t bytes = 0;
  for (const auto& r : records) bytes += 80 + r.partition_key.size() + r.data.size();
  codec::record_list_builder out(s.encryption_type != "NONE", bytes);
  for (const auto& r : records) {
    out.add(core::format_sequence_number({s.seq_salt, shard, core::position{r.position}}), r.arrival_ms,
            r.partition_key, r.data);
  }
  return std::move(out).finish();
}

std::optional<aws_error> require_readable(const core::stream_meta& s) {
  if (s.status == core::stream_status::active || s.status == core::stream_status::updating) return std::nullopt;
  return resource_in_use("Stream " + s.name + " under account " + s.scope.account + " is in " +
                         core::to_string(s.status) + " state.");
}

document shard_document(const core::stream_meta& s, const core::shard_meta& shard) {
  document d = document::object();
  d["ShardId"] = core::format_shard_id(shard.index);
  if (shard.parent) d["ParentShardId"] = core::format_shard_id(*shard.parent);
  if (shard.adjacent_parent) d["AdjacentParentShardId"] = core::format_shard_id(*shard.adjacent_parent);
  d["HashKeyRange"] = {{"StartingHashKey", to_decimal(shard.range.start)},
                       {"EndingHashKey", to_decimal(shard.range.end)}};
  document seq = document::object();
  seq["StartingSequenceNumber"] = core::format_sequence_number({s.seq_salt, shard.index, core::position{0}});
  // Known the moment the shard closes, without waiting for appends in flight: the highest number the
  // shard could hold, above every record in it (kinesalite does the same).
  if (!shard.open()) {
    seq["EndingSequenceNumber"] =
        core::format_sequence_number({s.seq_salt, shard.index, core::position{UINT64_MAX}});
  }
  d["SequenceNumberRange"] = std::move(seq);
  return d;
}

document child_shards_document(const core::stream_meta& s, core::shard_index parent) {
  document out = document::array();
  for (const auto& c : s.shards) {
    if (c.parent != parent && c.adjacent_parent != parent) continue;
    document parents = document::array();
    if (c.parent) parents.push_back(core::format_shard_id(*c.parent));
    if (c.adjacent_parent) parents.push_back(core::format_shard_id(*c.adjacent_parent));
    out.push_back({{"ShardId", core::format_shard_id(c.index)},
                   {"ParentShards", std::move(parents)},
                   {"HashKeyRange",
                    {{"StartingHashKey", to_decimal(c.range.start)}, {"EndingHashKey", to_decimal(c.range.end)}}}});
  }
  return out;
}

document stream_mode_document(core::stream_mode m) { return {{"StreamMode", core::to_string(m)}}; }

document enhanced_monitoring_document(const core::stream_meta& s) {
  return document::array({document{{"ShardLevelMetrics", s.shard_level_metrics}}});
}

std::string make_next_token(document state) {
  state["issued_ms"] = now_ms();
  return base64::encode_url(codec::json::encode(state));
}

op_result<document> read_next_token(const std::string& token) {
  const auto raw = base64::decode_lenient(token);
  std::optional<document> state;
  if (raw) state = codec::json::decode(*raw);
  if (!state || !state->is_object() || !state->contains("issued_ms") || !(*state)["issued_ms"].is_number_integer()) {
    return fail(invalid_argument("Invalid NextToken."));
  }
  const int64_t now = now_ms();
  const int64_t issued = (*state)["issued_ms"].get<int64_t>();
  if (issued > now + 300'000) return fail(invalid_argument("Invalid NextToken."));  // from the future: forged
  if (issued < now - 300'000) {
    const int64_t age = now - std::max(issued, now - INT64_C(1'000'000'000'000));
    return fail(aws_error{"ExpiredNextTokenException", 400,
                          "The NextToken has expired. It was issued " + std::to_string(age) +
                              " milliseconds ago; tokens are valid for 300000 milliseconds."});
  }
  return std::move(*state);
}

}  // namespace eddy::api::ops
