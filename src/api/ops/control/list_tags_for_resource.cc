// ListTagsForResource: every tag of the stream or consumer a ResourceARN names, in key order.
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
  auto state = read_resource(ctx, *ref);
  if (!state) co_return fail(std::move(state).error());
  co_return document{{"Tags", tag_list_document(state->tags)}};
}

}  // namespace

extern const operation list_tags_for_resource{"ListTagsForResource", &input, &handle};

}  // namespace eddy::api::ops
