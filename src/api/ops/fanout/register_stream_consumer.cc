// RegisterStreamConsumer: a named enhanced fan-out consumer on a stream, CREATING then ACTIVE.
#include "../../model/shapes.h"
#include "consumer_common.h"

namespace eddy::api::ops {
namespace {

using codec::document;

const model::shape& input() {
  static const model::shape s{.k = model::kind::structure,
                              .members = {{"StreamARN", &model::shapes::stream_arn(), true},
                                          {"ConsumerName", &consumer_name_shape(), true}}};
  return s;
}

boost::asio::awaitable<op_result<document>> handle(op_context& ctx, document in) {
  auto name = stream_name_of(ctx, in);
  if (!name) co_return fail(std::move(name).error());
  auto c = ctx.registry.register_consumer(ctx.scope, *name, in["ConsumerName"].get<std::string>());
  if (!c) co_return fail(to_aws_error(c.error()));
  auto stream = find_stream(ctx, *name);
  if (!stream) co_return fail(std::move(stream).error());
  co_return document{{"Consumer", consumer_document(**stream, *c, false)}};
}

}  // namespace

extern const operation register_stream_consumer{"RegisterStreamConsumer", &input, &handle};

}  // namespace eddy::api::ops
