// PutRecord: one record to the shard its hash key falls in; acknowledged once durable as --sync promises.
#include "../../fault_injector.h"
#include "../../throughput_limits.h"
#include "../../model/shapes.h"
#include "eddy/core/sequence_number.h"
#include "append_routed.h"
#include "put_common.h"

namespace eddy::api::ops {
namespace {

using codec::document;
using model::kind;
using model::shape;

const shape& input() {
  static const shape seq{.k = kind::string, .regex = model::make_pattern("0|([1-9]\\d{0,128})")};
  static const shape s{.k = kind::structure,
                       .members = {{"Data", &data_shape(), true},
                                   {"ExplicitHashKey", &explicit_hash_key_shape()},
                                   {"PartitionKey", &partition_key_shape()},
                                   {"SequenceNumberForOrdering", &seq},
                                   {"StreamName", &model::shapes::stream_name()},
                                   {"StreamARN", &model::shapes::stream_arn()},
                                   {"DryRun", &model::shapes::boolean()}}};
  return s;
}

// Our sequence numbers already rise within a shard, so ordering holds once the number is known to be one
// this stream issued and not one from the future.
std::optional<aws_error> check_ordering(const op_context& ctx, const core::stream_meta& s, const std::string& text) {
  const auto invalid = [&] {
    return invalid_argument("ExclusiveMinimumSequenceNumber " + text + " used in PutRecord on stream " + s.name +
                            " under account " + ctx.scope.account + " is invalid.");
  };
  const auto parts = core::parse_sequence_number(text);
  if (!parts || parts->salt != s.seq_salt || !s.shard(parts->shard)) return invalid();
  auto actor = ctx.shards.actor(s.uid, parts->shard);
  if (!actor || parts->pos.get() >= (*actor)->next_position()) return invalid();
  return std::nullopt;
}

boost::asio::awaitable<op_result<document>> handle(op_context& ctx, document in) {
  auto stream = writable_stream(ctx, in);
  if (!stream) co_return fail(std::move(stream).error());
  const core::stream_meta& s = **stream;
  if (!in.contains("PartitionKey")) {
    if (auto e = missing_partition_keys(s, {"partitionKey"})) co_return fail(std::move(*e));
  }
  std::string key = in.value("PartitionKey", std::string());
  std::vector<uint8_t> data = take_blob(in["Data"]);
  if (auto e = data_too_large(s, data.size(), "data")) co_return fail(std::move(*e));
  if (data.size() + key.size() > max_record_bytes(s)) {
    co_return fail(invalid_argument("The record's data and partition key together are " +
                                    std::to_string(data.size() + key.size()) + " bytes, more than the stream's limit of " +
                                    std::to_string(max_record_bytes(s)) + " bytes."));
  }
  const document explicit_key = in.value("ExplicitHashKey", document());
  auto shard = route(s, key, explicit_key);
  if (!shard) co_return fail(std::move(shard).error());
  if (in.contains("SequenceNumberForOrdering")) {
    if (auto e = check_ordering(ctx, s, in["SequenceNumberForOrdering"].get<std::string>())) co_return fail(std::move(*e));
  }
  if (ctx.record_faults && ctx.record_faults->refuse_record(ctx.op_index)) {
    co_return fail(shard_throttled(core::format_shard_id((*shard)->index), s.name, ctx.scope.account));
  }
  if (ctx.limits && !ctx.limits->admit_write(s.uid, (*shard)->index, data.size() + key.size(), "PutRecord")) {
    co_return fail(shard_throttled(core::format_shard_id((*shard)->index), s.name, ctx.scope.account));
  }
  std::vector<core::append_record> records;
  records.push_back({key, std::move(data)});
  std::shared_ptr<const core::stream_meta> current = *stream;
  auto placed = co_await append_routed(
      ctx, current, std::move(records),
      [&](const core::stream_meta& snapshot, size_t) { return route(snapshot, key, explicit_key); },
      [&] { return writable_stream(ctx, in); });
  if (!placed) co_return fail(std::move(placed).error());
  const placed_record& p = placed->front();
  if (p.throttled) co_return fail(shard_throttled(core::format_shard_id(p.shard), s.name, ctx.scope.account));
  if (!p.ok) co_return fail(aws_error{"InternalFailure", 500, "the record could not be stored"});
  document out = document::object();
  out["ShardId"] = core::format_shard_id(p.shard);
  out["SequenceNumber"] = core::format_sequence_number({s.seq_salt, p.shard, core::position{p.position}});
  if (s.encryption_type != "NONE") out["EncryptionType"] = s.encryption_type;
  co_return out;
}

}  // namespace

extern const operation put_record{"PutRecord", &input, &handle};

}  // namespace eddy::api::ops
