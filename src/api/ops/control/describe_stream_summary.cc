// DescribeStreamSummary: the stream without its shard list, with open-shard and consumer counts.
#include "../../model/shapes.h"
#include "../common.h"

namespace eddy::api::ops {
namespace {

using codec::document;
using model::kind;
using model::shape;

const shape& input() {
  static const shape s{.k = kind::structure,
                       .members = {{"StreamName", &model::shapes::stream_name()},
                                   {"StreamARN", &model::shapes::stream_arn()}}};
  return s;
}

boost::asio::awaitable<op_result<document>> handle(op_context& ctx, document in) {
  auto stream = find_named_stream(ctx, in);
  if (!stream) co_return fail(std::move(stream).error());
  const core::stream_meta& s = **stream;
  document d = document::object();
  d["StreamName"] = s.name;
  d["StreamARN"] = s.arn();
  d["StreamStatus"] = core::to_string(s.status);
  d["StreamModeDetails"] = stream_mode_document(s.mode);
  d["RetentionPeriodHours"] = s.retention_hours;
  d["StreamCreationTimestamp"] = codec::make_timestamp(s.created_ms);
  d["EnhancedMonitoring"] = enhanced_monitoring_document(s);
  d["EncryptionType"] = s.encryption_type;
  if (!s.key_id.empty()) d["KeyId"] = s.key_id;
  d["OpenShardCount"] = s.status == core::stream_status::creating ? 0 : s.open_shard_count();
  d["ConsumerCount"] = s.consumers.size();
  d["MaxRecordSizeInKiB"] = s.max_record_size_kib;
  // Both exist only for on-demand streams, as in AWS's answers.
  if (s.mode == core::stream_mode::on_demand) {
    if (s.warm_throughput_target_mibps) {
      document warm = {{"TargetMiBps", *s.warm_throughput_target_mibps}};
      if (s.warm_throughput_current_mibps) warm["CurrentMiBps"] = *s.warm_throughput_current_mibps;
      d["WarmThroughput"] = std::move(warm);
    }
    d["RecordDistributionStrategy"] = s.auto_distribution ? "AUTO" : "USER_PARTITION_KEY";
  }
  co_return document{{"StreamDescriptionSummary", std::move(d)}};
}

}  // namespace

extern const operation describe_stream_summary{"DescribeStreamSummary", &input, &handle};

}  // namespace eddy::api::ops
