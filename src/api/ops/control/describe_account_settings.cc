// DescribeAccountSettings: the caller's account settings in this region (the billing commitment).
#include "stream_settings.h"

namespace eddy::api::ops {
namespace {

using codec::document;

const model::shape& input() {
  static const model::shape s{.k = model::kind::structure};
  return s;
}

boost::asio::awaitable<op_result<document>> handle(op_context& ctx, document) {
  auto settings = account_settings_of(ctx);
  if (!settings) co_return fail(std::move(settings).error());
  co_return document{{"MinimumThroughputBillingCommitment", commitment_document(*settings)}};
}

}  // namespace

extern const operation describe_account_settings{"DescribeAccountSettings", &input, &handle};

}  // namespace eddy::api::ops
