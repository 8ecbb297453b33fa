// ListStreamConsumers: a stream's consumers in registration order, paged by MaxResults and NextToken.
#include "../../model/shapes.h"
#include "consumer_common.h"

namespace eddy::api::ops {
namespace {

using codec::document;
using model::kind;
using model::shape;

constexpr int64_t kDefaultMaxResults = 100;

const shape& input() {
  static const shape max_results{.k = kind::integer, .min_value = 1, .max_value = 10000};
  static const shape s{.k = kind::structure,
                       .members = {{"StreamARN", &model::shapes::stream_arn(), true},
                                   {"NextToken", &model::shapes::next_token()},
                                   {"MaxResults", &max_results},
                                   {"StreamCreationTimestamp", &model::shapes::timestamp()}}};
  return s;
}

boost::asio::awaitable<op_result<document>> handle(op_context& ctx, document in) {
  auto stream = find_named_stream(ctx, in);
  if (!stream) co_return fail(std::move(stream).error());
  const core::stream_meta& s = **stream;
  if (in.contains("StreamCreationTimestamp") && codec::timestamp_ms(in["StreamCreationTimestamp"]) != s.created_ms) {
    co_return fail(resource_not_found("Stream " + s.name + " under account " + ctx.scope.account +
                                      " with the given creation timestamp not found."));
  }
  size_t from = 0;
  if (in.contains("NextToken")) {
    auto state = read_next_token(in["NextToken"].get<std::string>());
    if (!state) co_return fail(std::move(state).error());
    // "from" as any integer kind: simdjson decodes the token's small numbers as signed, nlohmann as unsigned.
    if (state->value("k", "") != "consumers" || state->value("stream", "") != s.name ||
        !(*state)["from"].is_number_integer() || (*state)["from"].get<int64_t>() < 0) {
      co_return fail(invalid_argument("Invalid NextToken."));
    }
    from = (*state)["from"].get<size_t>();
  }
  const auto max = static_cast<size_t>(in.value("MaxResults", kDefaultMaxResults));
  document consumers = document::array();
  size_t i = from;
  for (; i < s.consumers.size() && consumers.size() < max; ++i) consumers.push_back(consumer_document(s, s.consumers[i], false));
  document out = document::object();
  out["Consumers"] = std::move(consumers);
  if (i < s.consumers.size()) out["NextToken"] = make_next_token({{"k", "consumers"}, {"stream", s.name}, {"from", i}});
  co_return out;
}

}  // namespace

extern const operation list_stream_consumers{"ListStreamConsumers", &input, &handle};

}  // namespace eddy::api::ops
