// UpdateAccountSettings: turns the MinimumThroughputBillingCommitment on or off, synchronously.
// A commitment runs at least 24 hours: turning it off sooner leaves it
// ENABLED_UNTIL_EARLIEST_ALLOWED_END until then.
#include "eddy/base/clock.h"
#include "stream_settings.h"

namespace eddy::api::ops {
namespace {

using codec::document;
using model::kind;
using model::shape;

const shape& input() {
  static const shape status{.k = kind::string, .enum_values = {"ENABLED", "DISABLED"}};
  static const shape commitment{.k = kind::structure, .members = {{"Status", &status, true}}};
  static const shape s{.k = kind::structure,
                       .members = {{"MinimumThroughputBillingCommitment", &commitment, true}}};
  return s;
}

boost::asio::awaitable<op_result<document>> handle(op_context& ctx, document in) {
  const bool enable = in["MinimumThroughputBillingCommitment"]["Status"] == "ENABLED";
  auto settings = core::update_commitment(ctx.shards.store(), ctx.scope, enable, now_ms());
  if (!settings) co_return fail(to_aws_error(settings.error()));
  co_return document{{"MinimumThroughputBillingCommitment", commitment_document(*settings)}};
}

}  // namespace

extern const operation update_account_settings{"UpdateAccountSettings", &input, &handle};

}  // namespace eddy::api::ops
