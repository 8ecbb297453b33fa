// AddTagsToStream: adds or overwrites tags on a stream, at most 50 in all.
#include "../../model/shapes.h"
#include "resource_common.h"

namespace eddy::api::ops {
namespace {

using codec::document;

const model::shape& input() {
  static const model::shape s{.k = model::kind::structure,
                              .members = {{"StreamName", &model::shapes::stream_name()},
                                          {"Tags", &tag_map_shape(), true},
                                          {"StreamARN", &model::shapes::stream_arn()}}};
  return s;
}

boost::asio::awaitable<op_result<document>> handle(op_context& ctx, document in) {
  auto name = stream_name_of(ctx, in);
  if (!name) co_return fail(std::move(name).error());
  const core::tag_map tags = tag_map_of(in["Tags"]);
  auto r =
      edit_resource(ctx, resource_ref{{}, *name, std::nullopt, 0},
                    [&tags](core::tag_map& current, std::string&, const core::tag_owner& owner) {
                      return core::add_tags(current, tags, owner);
                    });
  if (!r) co_return fail(std::move(r).error());
  co_return document::object();
}

}  // namespace

extern const operation add_tags_to_stream{"AddTagsToStream", &input, &handle};

}  // namespace eddy::api::ops
