// UntagResource: removes tags by key from the stream or consumer a ResourceARN names.
#include "resource_common.h"

namespace eddy::api::ops {
namespace {

using codec::document;

const model::shape& input() {
  static const model::shape s{.k = model::kind::structure,
                              .members = {{"TagKeys", &tag_key_list_shape(), true},
                                          {"ResourceARN", &resource_arn_shape(), true}}};
  return s;
}

boost::asio::awaitable<op_result<document>> handle(op_context& ctx, document in) {
  auto ref = resolve_resource(ctx, in["ResourceARN"].get<std::string>());
  if (!ref) co_return fail(std::move(ref).error());
  const std::vector<std::string> keys = tag_keys_of(in["TagKeys"]);
  auto r = edit_resource(ctx, *ref,
                         [&keys](core::tag_map& current, std::string&,
                                 const core::tag_owner& owner) -> core::result<void> {
                           if (auto c = core::check_tag_keys_to_remove(keys, owner); !c) return c;
                           core::remove_tags(current, keys);
                           return {};
                         });
  if (!r) co_return fail(std::move(r).error());
  co_return document::object();
}

}  // namespace

extern const operation untag_resource{"UntagResource", &input, &handle};

}  // namespace eddy::api::ops
