// CreateStream: a new stream with ShardCount shards (PROVISIONED) or AWS's starting count (ON_DEMAND),
// hash ranges split evenly. CREATING until --create-stream-ms has passed, then ACTIVE.
#include "../../model/shapes.h"
#include "../common.h"
#include "resource_common.h"

namespace eddy::api::ops {
namespace {

using codec::document;
using model::kind;
using model::shape;

const shape& input() {
  static const shape shard_count{.k = kind::integer, .min_value = 1, .max_value = 100000};
  static const shape warm{.k = kind::integer, .min_value = 0};
  static const shape record_size{.k = kind::integer, .min_value = 1024, .max_value = 10240};
  static const shape s{.k = kind::structure,
                       .members = {{"ShardCount", &shard_count},
                                   {"StreamName", &model::shapes::stream_name(), true},
                                   {"StreamModeDetails", &model::shapes::stream_mode_details()},
                                   {"Tags", &tag_map_shape()},
                                   {"WarmThroughputMiBps", &warm},
                                   {"MaxRecordSizeInKiB", &record_size}}};
  return s;
}

boost::asio::awaitable<op_result<document>> handle(op_context& ctx, document in) {
  core::create_stream_spec spec;
  spec.name = in["StreamName"].get<std::string>();
  if (in.contains("ShardCount")) spec.shard_count = in["ShardCount"].get<int64_t>();
  if (in.contains("StreamModeDetails") && in["StreamModeDetails"]["StreamMode"] == "ON_DEMAND") {
    spec.mode = core::stream_mode::on_demand;
  }
  if (in.contains("Tags")) {
    // The same rules as AddTagsToStream, checked before anything is created.
    const auto owner = stream_owner(ctx, spec.name);
    if (auto r = core::add_tags(spec.tags, tag_map_of(in["Tags"]), owner); !r) co_return fail(to_aws_error(r.error()));
  }
  if (in.contains("MaxRecordSizeInKiB")) spec.max_record_size_kib = in["MaxRecordSizeInKiB"].get<int>();
  if (auto r = ctx.registry.create_stream(ctx.scope, std::move(spec)); !r) co_return fail(to_aws_error(r.error()));
  co_return document::object();
}

}  // namespace

extern const operation create_stream{"CreateStream", &input, &handle};

}  // namespace eddy::api::ops
