// UpdateMaxRecordSize: the largest record (data plus partition key) the stream takes, 1024..10240
// KiB. The stream shows UPDATING for --update-stream-ms; PutRecord and PutRecords then enforce the
// new size.
#include "../../model/shapes.h"
#include "../common.h"

namespace eddy::api::ops {
namespace {

using codec::document;
using model::kind;
using model::shape;

const shape& input() {
  static const shape size{.k = kind::integer, .min_value = 1024, .max_value = 10240};
  static const shape s{.k = kind::structure,
                       .members = {{"StreamARN", &model::shapes::stream_arn()},
                                   {"MaxRecordSizeInKiB", &size, true}}};
  return s;
}

boost::asio::awaitable<op_result<document>> handle(op_context& ctx, document in) {
  auto name = stream_name_of(ctx, in);
  if (!name) co_return fail(std::move(name).error());
  auto edit = [kib = in["MaxRecordSizeInKiB"].get<int>()](
                  core::stream_meta& next, const core::account_limits&) -> core::result<void> {
    next.max_record_size_kib = kib;
    return {};
  };
  if (auto r = ctx.registry.update_stream(ctx.scope, *name, edit, true); !r)
    co_return fail(to_aws_error(r.error()));
  co_return document::object();
}

}  // namespace

extern const operation update_max_record_size{"UpdateMaxRecordSize", &input, &handle};

}  // namespace eddy::api::ops
