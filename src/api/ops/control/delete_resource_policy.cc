// DeleteResourcePolicy: detaches the policy of a stream or consumer; ResourceNotFoundException when
// there is none.
#include "resource_common.h"

namespace eddy::api::ops {
namespace {

using codec::document;

const model::shape& input() {
  static const model::shape s{.k = model::kind::structure,
                              .members = {{"ResourceARN", &resource_arn_shape(), true}}};
  return s;
}

boost::asio::awaitable<op_result<document>> handle(op_context& ctx, document in) {
  auto ref = resolve_resource(ctx, in["ResourceARN"].get<std::string>());
  if (!ref) co_return fail(std::move(ref).error());
  const std::string arn = ref->arn;
  auto r = edit_resource(
      ctx, *ref,
      [&arn](core::tag_map&, std::string& policy, const core::tag_owner&) -> core::result<void> {
        if (policy.empty()) {
          return core::make_error(core::errc::resource_not_found,
                                  "No resource policy found for resource ARN " + arn);
        }
        policy.clear();
        return {};
      });
  if (!r) co_return fail(std::move(r).error());
  co_return document::object();
}

}  // namespace

extern const operation delete_resource_policy{"DeleteResourcePolicy", &input, &handle};

}  // namespace eddy::api::ops
