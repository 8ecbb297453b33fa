// UpdateStreamRecordDistributionStrategy (2026): AUTO spreads an on-demand stream's records evenly
// over its open shards whatever their partition keys; USER_PARTITION_KEY (the default) routes by
// key. It takes effect at once, with no UPDATING state; provisioned streams only have
// USER_PARTITION_KEY.
#include "../../model/shapes.h"
#include "../common.h"

namespace eddy::api::ops {
namespace {

using codec::document;
using model::kind;
using model::shape;

const shape& input() {
  static const shape strategy{.k = kind::string, .enum_values = {"AUTO", "USER_PARTITION_KEY"}};
  static const shape s{.k = kind::structure,
                       .members = {{"StreamARN", &model::shapes::stream_arn(), true},
                                   {"RecordDistributionStrategy", &strategy, true}}};
  return s;
}

boost::asio::awaitable<op_result<document>> handle(op_context& ctx, document in) {
  auto name = stream_name_of(ctx, in);
  if (!name) co_return fail(std::move(name).error());
  auto edit = [automatic = in["RecordDistributionStrategy"] == "AUTO"](
                  core::stream_meta& next, const core::account_limits&) -> core::result<void> {
    if (automatic && next.mode != core::stream_mode::on_demand) {
      return core::make_error(
          core::errc::invalid_argument,
          "The AUTO record distribution strategy is only supported for streams in ON_DEMAND "
          "mode. Stream " +
              next.name + " under account " + next.scope.account + " is in PROVISIONED mode.");
    }
    next.auto_distribution = automatic;
    return {};
  };
  if (auto r = ctx.registry.update_stream(ctx.scope, *name, edit, false); !r)
    co_return fail(to_aws_error(r.error()));
  co_return document::object();
}

}  // namespace

extern const operation update_stream_record_distribution_strategy{
    "UpdateStreamRecordDistributionStrategy", &input, &handle};

}  // namespace eddy::api::ops
