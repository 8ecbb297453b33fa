// RegisterStreamConsumer: a named enhanced fan-out consumer on a stream, CREATING then ACTIVE, with
// optional tags (the same rules as TagResource).
#include "../../model/shapes.h"
#include "../control/resource_common.h"
#include "consumer_common.h"

namespace eddy::api::ops {
namespace {

using codec::document;

const model::shape& input() {
  static const model::shape s{.k = model::kind::structure,
                              .members = {{"StreamARN", &model::shapes::stream_arn(), true},
                                          {"ConsumerName", &consumer_name_shape(), true},
                                          {"Tags", &tag_map_shape()}}};
  return s;
}

boost::asio::awaitable<op_result<document>> handle(op_context& ctx, document in) {
  auto name = stream_name_of(ctx, in);
  if (!name) co_return fail(std::move(name).error());
  const std::string consumer = in["ConsumerName"].get<std::string>();
  // Tags are checked before registering, and stored on the new registration right after it.
  core::tag_map tags;
  if (in.contains("Tags")) {
    const auto owner = core::consumer_tag_owner(consumer, *name, ctx.scope.account);
    if (auto r = core::add_tags(tags, tag_map_of(in["Tags"]), owner); !r) co_return fail(to_aws_error(r.error()));
  }
  auto c = ctx.registry.register_consumer(ctx.scope, *name, consumer);
  if (!c) co_return fail(to_aws_error(c.error()));
  if (!tags.empty()) {
    auto r = edit_resource(ctx, resource_ref{{}, *name, consumer, c->created_ms},
                           [&tags](core::tag_map& current, std::string&, const core::tag_owner&) {
                             current = tags;
                             return core::result<void>{};
                           });
    if (!r) co_return fail(std::move(r).error());
  }
  auto stream = find_stream(ctx, *name);
  if (!stream) co_return fail(std::move(stream).error());
  co_return document{{"Consumer", consumer_document(**stream, *c, false)}};
}

}  // namespace

extern const operation register_stream_consumer{"RegisterStreamConsumer", &input, &handle};

}  // namespace eddy::api::ops
