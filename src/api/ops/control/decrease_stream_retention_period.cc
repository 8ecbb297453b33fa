// DecreaseStreamRetentionPeriod: shortens how long records stay readable (24..8760 hours). The
// stream shows UPDATING for --update-stream-ms first; the retention worker and GetRecords read the
// new value from the metadata.
#include "../../model/shapes.h"
#include "../common.h"
#include "stream_settings.h"

namespace eddy::api::ops {
namespace {

using codec::document;
using model::kind;
using model::shape;

const shape& input() {
  // The model sets no range: the bounds are InvalidArgumentExceptions, not ValidationExceptions.
  static const shape hours{.k = kind::integer};
  static const shape s{.k = kind::structure,
                       .members = {{"StreamName", &model::shapes::stream_name()},
                                   {"RetentionPeriodHours", &hours, true},
                                   {"StreamARN", &model::shapes::stream_arn()}}};
  return s;
}

boost::asio::awaitable<op_result<document>> handle(op_context& ctx, document in) {
  auto name = stream_name_of(ctx, in);
  if (!name) co_return fail(std::move(name).error());
  // Saturated: a value past int's range is simply out of bounds.
  const int hours = static_cast<int>(
      std::clamp<int64_t>(in["RetentionPeriodHours"].get<int64_t>(), INT32_MIN, INT32_MAX));
  auto edit = [hours, stream = *name](core::stream_meta& next,
                                      const core::account_limits&) -> core::result<void> {
    if (auto r = check_retention_bounds(hours); !r) return r;
    if (hours > next.retention_hours) {
      return core::make_error(
          core::errc::invalid_argument,
          "Requested retention period (" + std::to_string(hours) + " hours) for stream " + stream +
              " can not be longer than existing retention period (" +
              std::to_string(next.retention_hours) + " hours). Use IncreaseRetentionPeriod API.");
    }
    next.retention_hours = hours;
    return {};
  };
  if (auto r = ctx.registry.update_stream(ctx.scope, *name, edit, true); !r)
    co_return fail(to_aws_error(r.error()));
  co_return document::object();
}

}  // namespace

extern const operation decrease_stream_retention_period{"DecreaseStreamRetentionPeriod", &input,
                                                        &handle};

}  // namespace eddy::api::ops
