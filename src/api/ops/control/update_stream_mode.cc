// UpdateStreamMode: switches a stream between PROVISIONED and ON_DEMAND capacity, optionally with a
// warm throughput for ON_DEMAND. The stream shows UPDATING for --update-stream-ms; its shards stay
// as they are. Leaving ON_DEMAND drops what only on-demand streams have: warm throughput and the
// AUTO distribution.
#include "../../model/shapes.h"
#include "stream_settings.h"

namespace eddy::api::ops {
namespace {

using codec::document;
using model::kind;
using model::shape;

const shape& input() {
  static const shape warm{.k = kind::integer, .min_value = 0};
  static const shape s{
      .k = kind::structure,
      .members = {{"StreamARN", &model::shapes::stream_arn(), true},
                  {"StreamModeDetails", &model::shapes::stream_mode_details(), true},
                  {"WarmThroughputMiBps", &warm}}};
  return s;
}

boost::asio::awaitable<op_result<document>> handle(op_context& ctx, document in) {
  auto name = stream_name_of(ctx, in);
  if (!name) co_return fail(std::move(name).error());
  const auto mode = in["StreamModeDetails"]["StreamMode"] == "ON_DEMAND"
                        ? core::stream_mode::on_demand
                        : core::stream_mode::provisioned;
  std::optional<int> warm;
  if (in.contains("WarmThroughputMiBps")) {
    warm = static_cast<int>(std::min<int64_t>(in["WarmThroughputMiBps"].get<int64_t>(), INT32_MAX));
  }
  auto settings = account_settings_of(ctx);
  if (!settings) co_return fail(std::move(settings).error());
  auto edit = [mode, warm, settings = *settings](
                  core::stream_meta& next,
                  const core::account_limits& account) -> core::result<void> {
    if (next.mode == mode) {
      return core::make_error(core::errc::invalid_argument,
                              "Stream " + next.name + " under account " + next.scope.account +
                                  " is already in " + core::to_string(mode) + " mode.");
    }
    if (mode == core::stream_mode::on_demand &&
        account.on_demand_stream_count >= account.on_demand_stream_count_limit) {
      return core::make_error(core::errc::limit_exceeded,
                              "This request would exceed the on-demand stream count limit of " +
                                  std::to_string(account.on_demand_stream_count_limit) +
                                  " for the account " + next.scope.account + " in " +
                                  next.scope.region + ".");
    }
    if (warm) {
      if (auto r = check_warm_throughput(next, mode, *warm, settings); !r) return r;
    }
    next.mode = mode;
    if (mode == core::stream_mode::on_demand) {
      if (warm) next.warm_throughput_target_mibps = next.warm_throughput_current_mibps = *warm;
    } else {
      next.warm_throughput_target_mibps.reset();
      next.warm_throughput_current_mibps.reset();
      next.auto_distribution = false;
    }
    return {};
  };
  if (auto r = ctx.registry.update_stream(ctx.scope, *name, edit, true); !r)
    co_return fail(to_aws_error(r.error()));
  co_return document::object();
}

}  // namespace

extern const operation update_stream_mode{"UpdateStreamMode", &input, &handle};

}  // namespace eddy::api::ops
