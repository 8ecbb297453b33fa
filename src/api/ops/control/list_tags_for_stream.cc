// ListTagsForStream: a stream's tags in key order, after ExclusiveStartTagKey, Limit at a time.
#include "../../model/shapes.h"
#include "resource_common.h"

namespace eddy::api::ops {
namespace {

using codec::document;
using model::kind;
using model::shape;

const shape& input() {
  static const shape key{.k = kind::string, .min_length = 1, .max_length = 128};
  static const shape limit{.k = kind::integer, .min_value = 1, .max_value = 50};
  static const shape s{.k = kind::structure,
                       .members = {{"StreamName", &model::shapes::stream_name()},
                                   {"ExclusiveStartTagKey", &key},
                                   {"Limit", &limit},
                                   {"StreamARN", &model::shapes::stream_arn()}}};
  return s;
}

boost::asio::awaitable<op_result<document>> handle(op_context& ctx, document in) {
  auto stream = find_named_stream(ctx, in);
  if (!stream) co_return fail(std::move(stream).error());
  const core::tag_map& tags = (**stream).tags;
  const std::string after = in.value("ExclusiveStartTagKey", std::string());
  // Without a Limit every tag fits: a stream holds at most 50, the largest Limit.
  const auto limit = static_cast<size_t>(in.value("Limit", int64_t{50}));
  document listed = tag_list_document(tags, after, limit);
  const auto rest = after.empty()
                        ? tags.size()
                        : static_cast<size_t>(std::distance(tags.upper_bound(after), tags.end()));
  document out = document::object();
  out["HasMoreTags"] = rest > listed.size();
  out["Tags"] = std::move(listed);
  co_return out;
}

}  // namespace

extern const operation list_tags_for_stream{"ListTagsForStream", &input, &handle};

}  // namespace eddy::api::ops
