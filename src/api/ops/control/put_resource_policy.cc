// PutResourcePolicy: attaches a resource-based policy (a JSON document) to a stream or consumer. It
// is stored and returned as given, never enforced.
#include "eddy/codec/json_codec.h"
#include "resource_common.h"

namespace eddy::api::ops {
namespace {

using codec::document;

const model::shape& input() {
  static const model::shape policy{.k = model::kind::string};
  static const model::shape s{
      .k = model::kind::structure,
      .members = {{"ResourceARN", &resource_arn_shape(), true}, {"Policy", &policy, true}}};
  return s;
}

boost::asio::awaitable<op_result<document>> handle(op_context& ctx, document in) {
  auto ref = resolve_resource(ctx, in["ResourceARN"].get<std::string>());
  if (!ref) co_return fail(std::move(ref).error());
  std::string policy = in["Policy"].get<std::string>();
  const auto parsed = codec::json::decode(policy);
  if (!parsed || !parsed->is_object()) {
    co_return fail(
        invalid_argument("Policy for " + ref->arn + " is not a valid JSON policy document."));
  }
  auto r = edit_resource(ctx, *ref,
                         [&policy](core::tag_map&, std::string& current, const core::tag_owner&) {
                           current = policy;
                           return core::result<void>{};
                         });
  if (!r) co_return fail(std::move(r).error());
  co_return document::object();
}

}  // namespace

extern const operation put_resource_policy{"PutResourcePolicy", &input, &handle};

}  // namespace eddy::api::ops
