// DeregisterStreamConsumer: DELETING for --delete-consumer-ms, then gone.
#include "consumer_common.h"

namespace eddy::api::ops {
namespace {

using codec::document;

boost::asio::awaitable<op_result<document>> handle(op_context& ctx, document in) {
  auto found = find_consumer(ctx, in);
  if (!found) co_return fail(std::move(found).error());
  if (auto r = ctx.registry.deregister_consumer(ctx.scope, found->stream->name, found->consumer.name); !r) {
    co_return fail(to_aws_error(r.error()));
  }
  co_return document::object();
}

}  // namespace

extern const operation deregister_stream_consumer{"DeregisterStreamConsumer", &consumer_ref_input, &handle};

}  // namespace eddy::api::ops
