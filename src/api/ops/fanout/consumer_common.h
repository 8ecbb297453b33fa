#pragma once
// What the stream-consumer operations share: the shapes of consumer names and ARNs, finding a consumer by
// ConsumerARN or by StreamARN + ConsumerName, and rendering one.
#include "../../model/shape.h"
#include "../common.h"

namespace eddy::api::ops {

const model::shape& consumer_name_shape();
const model::shape& consumer_arn_shape();
// {StreamARN, ConsumerName, ConsumerARN}: how Describe- and DeregisterStreamConsumer name a consumer.
const model::shape& consumer_ref_input();

struct found_consumer {
  std::shared_ptr<const core::stream_meta> stream;
  core::consumer_meta consumer;
};

// By ConsumerARN, or by StreamARN and ConsumerName; InvalidArgumentException when neither form is given.
op_result<found_consumer> find_consumer(const op_context& ctx, const codec::document& in);

codec::document consumer_document(const core::stream_meta& s, const core::consumer_meta& c, bool with_stream_arn);

}  // namespace eddy::api::ops
