// DescribeStreamConsumer: one consumer, by ConsumerARN or by StreamARN + ConsumerName.
#include "consumer_common.h"

namespace eddy::api::ops {
namespace {

using codec::document;

boost::asio::awaitable<op_result<document>> handle(op_context& ctx, document in) {
  auto found = find_consumer(ctx, in);
  if (!found) co_return fail(std::move(found).error());
  co_return document{{"ConsumerDescription", consumer_document(*found->stream, found->consumer, true)}};
}

}  // namespace

extern const operation describe_stream_consumer{"DescribeStreamConsumer", &consumer_ref_input, &handle};

}  // namespace eddy::api::ops
