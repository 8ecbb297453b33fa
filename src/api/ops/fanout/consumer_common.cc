#include "consumer_common.h"

#include "../../model/shapes.h"

namespace eddy::api::ops {

using codec::document;

const model::shape& consumer_name_shape() {
  static const model::shape s{.k = model::kind::string,
                              .min_length = 1,
                              .max_length = 128,
                              .regex = model::make_pattern("[a-zA-Z0-9_.-]+")};
  return s;
}

const model::shape& consumer_arn_shape() {
  static const model::shape s{
      .k = model::kind::string,
      .min_length = 1,
      .max_length = 2048,
      .regex = model::make_pattern("^(arn):aws.*:kinesis:.*:\\d{12}:.*stream\\/[a-zA-Z0-9_.-]+\\/consumer\\/[a-zA-Z0-9_.-]+:[0-9]+")};
  return s;
}

const model::shape& consumer_ref_input() {
  static const model::shape s{.k = model::kind::structure,
                              .members = {{"StreamARN", &model::shapes::stream_arn()},
                                          {"ConsumerName", &consumer_name_shape()},
                                          {"ConsumerARN", &consumer_arn_shape()}}};
  return s;
}

op_result<found_consumer> find_consumer(const op_context& ctx, const document& in) {
  std::string stream_name;
  std::string consumer_name;
  std::optional<int64_t> created_s;
  if (in.contains("ConsumerARN")) {
    // arn:<partition>:kinesis:<region>:<account>:stream/<stream>/consumer/<name>:<epoch seconds>
    const std::string& arn = in["ConsumerARN"].get_ref<const std::string&>();
    const auto stream_at = arn.find(":stream/");
    const auto consumer_at = stream_at == std::string::npos ? stream_at : arn.find("/consumer/", stream_at);
    const auto colon = arn.rfind(':');
    if (consumer_at == std::string::npos || colon < consumer_at) {
      // The shape's pattern admits "...:xstream/s/consumer/c:1"; no consumer can have such an ARN.
      return fail(resource_not_found("Consumer " + arn + " not found."));
    }
    std::vector<std::string> head;
    size_t start = 0;
    for (int i = 0; i < 5; ++i) {
      const size_t c = arn.find(':', start);
      head.push_back(arn.substr(start, c - start));
      start = c + 1;
    }
    stream_name = arn.substr(stream_at + 8, consumer_at - stream_at - 8);
    consumer_name = arn.substr(consumer_at + 10, colon - consumer_at - 10);
    created_s = std::stoll(arn.substr(colon + 1, 18));
    if (head[3] != ctx.scope.region || head[4] != ctx.scope.account) {
      return fail(resource_not_found("Consumer " + consumer_name + " under stream " + stream_name + " and account " +
                                     head[4] + " not found."));
    }
  } else if (in.contains("StreamARN") && in.contains("ConsumerName")) {
    auto name = stream_name_of(ctx, in);
    if (!name) return fail(std::move(name).error());
    stream_name = *name;
    consumer_name = in["ConsumerName"].get<std::string>();
  } else {
    return fail(invalid_argument("Either ConsumerARN or both StreamARN and ConsumerName must be provided."));
  }
  auto stream = find_stream(ctx, stream_name);
  if (!stream) return fail(std::move(stream).error());
  const core::consumer_meta* c = (*stream)->consumer(consumer_name);
  if (!c || (created_s && c->created_ms / 1000 != *created_s)) {
    return fail(resource_not_found("Consumer " + consumer_name + " under stream " + stream_name + " and account " +
                                   ctx.scope.account + " not found."));
  }
  return found_consumer{*stream, *c};
}

document consumer_document(const core::stream_meta& s, const core::consumer_meta& c, bool with_stream_arn) {
  document d = document::object();
  d["ConsumerName"] = c.name;
  d["ConsumerARN"] = s.consumer_arn(c);
  d["ConsumerStatus"] = core::to_string(c.status);
  d["ConsumerCreationTimestamp"] = codec::make_timestamp(c.created_ms);
  if (with_stream_arn) d["StreamARN"] = s.arn();
  return d;
}

}  // namespace eddy::api::ops
