// ListStreams: stream names and summaries of the caller's account and region, in name order, paged by
// ExclusiveStartStreamName or NextToken.
#include "../../model/shapes.h"
#include "../common.h"

namespace eddy::api::ops {
namespace {

using codec::document;
using model::kind;
using model::shape;

constexpr int64_t kMaxPage = 100;  // default, and the most one call returns whatever Limit says

const shape& input() {
  static const shape s{.k = kind::structure,
                       .members = {{"ExclusiveStartStreamName", &model::shapes::stream_name()},
                                   {"Limit", &model::shapes::list_limit()},
                                   {"NextToken", &model::shapes::next_token()}}};
  return s;
}

boost::asio::awaitable<op_result<document>> handle(op_context& ctx, document in) {
  std::string after = in.value("ExclusiveStartStreamName", std::string());
  if (in.contains("NextToken")) {
    auto state = read_next_token(in["NextToken"].get<std::string>());
    if (!state) co_return fail(std::move(state).error());
    if (state->value("k", "") != "streams" || !(*state)["after"].is_string()) {
      co_return fail(invalid_argument("Invalid NextToken."));
    }
    after = (*state)["after"].get<std::string>();
  }
  const int64_t limit = std::min(in.value("Limit", kMaxPage), kMaxPage);

  document names = document::array();
  document summaries = document::array();
  bool more = false;
  for (const auto& sp : ctx.registry.list(ctx.scope)) {
    const core::stream_meta& s = *sp;
    if (!after.empty() && s.name <= after) continue;
    if (static_cast<int64_t>(names.size()) == limit) {
      more = true;
      break;
    }
    names.push_back(s.name);
    summaries.push_back({{"StreamName", s.name},
                         {"StreamARN", s.arn()},
                         {"StreamStatus", core::to_string(s.status)},
                         {"StreamModeDetails", stream_mode_document(s.mode)},
                         {"StreamCreationTimestamp", codec::make_timestamp(s.created_ms)}});
  }
  document out = document::object();
  out["StreamNames"] = names;
  out["HasMoreStreams"] = more;
  if (more) out["NextToken"] = make_next_token({{"k", "streams"}, {"after", names.back()}});
  out["StreamSummaries"] = std::move(summaries);
  co_return out;
}

}  // namespace

extern const operation list_streams{"ListStreams", &input, &handle};

}  // namespace eddy::api::ops
