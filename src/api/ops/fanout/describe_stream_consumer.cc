// DescribeStreamConsumer: one consumer, by ConsumerARN or by StreamARN + ConsumerName.
#include "../../model/shapes.h"
#include "consumer_common.h"

namespace eddy::api::ops {
namespace {

using codec::document;

const model::shape& input() {
  static const model::shape s{.k = model::kind::structure,
                              .members = {{"StreamARN", &model::shapes::stream_arn()},
                                          {"ConsumerName", &consumer_name_shape()},
                                          {"ConsumerARN", &consumer_arn_shape()}}};
  return s;
}

boost::asio::awaitable<op_result<document>> handle(op_context& ctx, document in) {
  auto found = find_consumer(ctx, in);
  if (!found) co_return fail(std::move(found).error());
  co_return document{{"ConsumerDescription", consumer_document(*found->stream, found->consumer, true)}};
}

}  // namespace

extern const operation describe_stream_consumer{"DescribeStreamConsumer", &input, &handle};

}  // namespace eddy::api::ops
