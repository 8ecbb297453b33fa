// TagResource: adds or overwrites tags on the stream or consumer a ResourceARN names, at most 50
// in all.
#include "resource_common.h"

namespace eddy::api::ops {
namespace {

using codec::document;

const model::shape& input() {
  static const model::shape s{
      .k = model::kind::structure,
      .members = {{"Tags", &tag_map_shape(), true}, {"ResourceARN", &resource_arn_shape(), true}}};
  return s;
}

boost::asio::awaitable<op_result<document>> handle(op_context& ctx, document in) {
  auto ref = resolve_resource(ctx, in["ResourceARN"].get<std::string>());
  if (!ref) co_return fail(std::move(ref).error());
  const core::tag_map tags = tag_map_of(in["Tags"]);
  auto r = edit_resource(
      ctx, *ref, [&tags](core::tag_map& current, std::string&, const core::tag_owner& owner) {
        return core::add_tags(current, tags, owner);
      });
  if (!r) co_return fail(std::move(r).error());
  co_return document::object();
}

}  // namespace

extern const operation tag_resource{"TagResource", &input, &handle};

}  // namespace eddy::api::ops
