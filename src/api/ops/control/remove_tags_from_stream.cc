// RemoveTagsFromStream: removes tags from a stream by key; keys it does not have are ignored.
#include "../../model/shapes.h"
#include "resource_common.h"

namespace eddy::api::ops {
namespace {

using codec::document;

const model::shape& input() {
  static const model::shape s{.k = model::kind::structure,
                              .members = {{"StreamName", &model::shapes::stream_name()},
                                          {"TagKeys", &tag_key_list_shape(), true},
                                          {"StreamARN", &model::shapes::stream_arn()}}};
  return s;
}

boost::asio::awaitable<op_result<document>> handle(op_context& ctx, document in) {
  auto name = stream_name_of(ctx, in);
  if (!name) co_return fail(std::move(name).error());
  const std::vector<std::string> keys = tag_keys_of(in["TagKeys"]);
  auto r = edit_resource(ctx, resource_ref{{}, *name, std::nullopt, 0},
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

extern const operation remove_tags_from_stream{"RemoveTagsFromStream", &input, &handle};

}  // namespace eddy::api::ops
