// UpdateStreamWarmThroughput: the write throughput an on-demand stream is kept ready for, in
// accounts with the MinimumThroughputBillingCommitment on. The stream shows UPDATING for
// --update-stream-ms, then its current warm throughput reaches the target. Nothing is throttled
// either way: it is metadata.
#include <memory>

#include "../../model/shapes.h"
#include "stream_settings.h"

namespace eddy::api::ops {
namespace {

using codec::document;
using model::kind;
using model::shape;

const shape& input() {
  static const shape warm{.k = kind::integer, .min_value = 0};
  static const shape s{.k = kind::structure,
                       .members = {{"StreamARN", &model::shapes::stream_arn()},
                                   {"StreamName", &model::shapes::stream_name()},
                                   {"WarmThroughputMiBps", &warm, true}}};
  return s;
}

boost::asio::awaitable<op_result<document>> handle(op_context& ctx, document in) {
  auto name = stream_name_of(ctx, in);
  if (!name) co_return fail(std::move(name).error());
  const int target =
      static_cast<int>(std::min<int64_t>(in["WarmThroughputMiBps"].get<int64_t>(), INT32_MAX));
  auto settings = account_settings_of(ctx);
  if (!settings) co_return fail(std::move(settings).error());
  // The edit runs again when UPDATING ends: only its first run, inside update_stream(), reports.
  auto before = std::make_shared<std::optional<std::optional<int>>>();
  auto edit = [target, before, settings = *settings](
                  core::stream_meta& next, const core::account_limits&) -> core::result<void> {
    if (auto r = check_warm_throughput(next, next.mode, target, settings); !r) return r;
    if (!before->has_value()) *before = next.warm_throughput_current_mibps;
    next.warm_throughput_target_mibps = next.warm_throughput_current_mibps = target;
    return {};
  };
  if (auto r = ctx.registry.update_stream(ctx.scope, *name, edit, true); !r)
    co_return fail(to_aws_error(r.error()));
  document warm = document::object();
  warm["TargetMiBps"] = target;
  // Immediately current without a delay; otherwise what the stream had until UPDATING ends.
  const bool immediate = ctx.registry.options().update_delay.count() == 0;
  const std::optional<int> current =
      immediate ? std::optional<int>(target) : before->value_or(std::nullopt);
  if (current) warm["CurrentMiBps"] = *current;
  document out = document::object();
  out["StreamARN"] = core::stream_arn(ctx.scope, *name);
  out["StreamName"] = *name;
  out["WarmThroughput"] = std::move(warm);
  co_return out;
}

}  // namespace

extern const operation update_stream_warm_throughput{"UpdateStreamWarmThroughput", &input, &handle};

}  // namespace eddy::api::ops
