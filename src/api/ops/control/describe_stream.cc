// DescribeStream: the stream and a page of at most 100 shards after ExclusiveStartShardId.
#include "../../model/shapes.h"
#include "../common.h"
#include "eddy/base/clock.h"

namespace eddy::api::ops {
namespace {

using codec::document;
using model::kind;
using model::shape;

constexpr int64_t kMaxShardsPerPage = 100;

const shape& input() {
  static const shape s{.k = kind::structure,
                       .members = {{"ExclusiveStartShardId", &model::shapes::shard_id()},
                                   {"Limit", &model::shapes::list_limit()},
                                   {"StreamName", &model::shapes::stream_name()},
                                   {"StreamARN", &model::shapes::stream_arn()}}};
  return s;
}

boost::asio::awaitable<op_result<document>> handle(op_context& ctx, document in) {
  auto stream = find_named_stream(ctx, in);
  if (!stream) co_return fail(std::move(stream).error());
  const core::stream_meta& s = **stream;

  const int64_t limit = std::min<int64_t>(in.value("Limit", kMaxShardsPerPage), kMaxShardsPerPage);
  const std::string after = in.value("ExclusiveStartShardId", std::string());
  document shards = document::array();
  bool more = false;
  if (s.status != core::stream_status::creating) {
    // A closed shard whose records have all passed retention is gone, as in ListShards.
    const int64_t expired_before = now_ms() - int64_t{s.retention_hours} * 3'600'000;
    for (const auto& shard : s.shards) {
      if (shard.closed_ms && *shard.closed_ms < expired_before) continue;
      // Shard ids have one fixed width, so text order is index order, whatever the caller passed.
      if (!after.empty() && core::format_shard_id(shard.index) <= after) continue;
      if (static_cast<int64_t>(shards.size()) == limit) {
        more = true;
        break;
      }
      shards.push_back(shard_document(s, shard));
    }
  }
  document d = document::object();
  d["StreamName"] = s.name;
  d["StreamARN"] = s.arn();
  d["StreamStatus"] = core::to_string(s.status);
  d["StreamModeDetails"] = stream_mode_document(s.mode);
  d["Shards"] = std::move(shards);
  d["HasMoreShards"] = more;
  d["RetentionPeriodHours"] = s.retention_hours;
  d["StreamCreationTimestamp"] = codec::make_timestamp(s.created_ms);
  d["EnhancedMonitoring"] = enhanced_monitoring_document(s);
  d["EncryptionType"] = s.encryption_type;
  if (!s.key_id.empty()) d["KeyId"] = s.key_id;
  co_return document{{"StreamDescription", std::move(d)}};
}

}  // namespace

extern const operation describe_stream{"DescribeStream", &input, &handle};

}  // namespace eddy::api::ops
