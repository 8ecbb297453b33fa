// ListShards: a stream's shards, filtered (ShardFilter) and paged (ExclusiveStartShardId, MaxResults,
// NextToken). A NextToken carries the stream, the filter and the position, so it replaces them all.
#include "../../model/shapes.h"
#include "../common.h"
#include "eddy/base/clock.h"

namespace eddy::api::ops {
namespace {

using codec::document;
using model::kind;
using model::shape;

constexpr int64_t kMaxPage = 1000;  // default, and the most one call returns whatever MaxResults says

const shape& input() {
  static const shape max_results{.k = kind::integer, .min_value = 1, .max_value = 10000};
  static const shape filter_type{.k = kind::string,
                                 .enum_values = {"AFTER_SHARD_ID", "AT_TRIM_HORIZON", "FROM_TRIM_HORIZON",
                                                 "AT_LATEST", "AT_TIMESTAMP", "FROM_TIMESTAMP"}};
  static const shape filter{.k = kind::structure,
                            .members = {{"Type", &filter_type, true},
                                        {"ShardId", &model::shapes::shard_id()},
                                        {"Timestamp", &model::shapes::timestamp()}}};
  static const shape s{.k = kind::structure,
                       .members = {{"ExclusiveStartShardId", &model::shapes::shard_id()},
                                   {"MaxResults", &max_results},
                                   {"NextToken", &model::shapes::next_token()},
                                   {"StreamCreationTimestamp", &model::shapes::timestamp()},
                                   {"StreamName", &model::shapes::stream_name()},
                                   {"StreamARN", &model::shapes::stream_arn()},
                                   {"ShardFilter", &filter}}};
  return s;
}

// A filter as passes() reads it: null, or {"type"} plus "shard" (a string) or "ts" (an integer) as the type needs.
bool valid_filter(const document& f) {
  if (f.is_null()) return true;
  if (!f.is_object() || !f.contains("type") || !f["type"].is_string()) return false;
  const std::string& type = f["type"].get_ref<const std::string&>();
  if (type == "AFTER_SHARD_ID") return f.contains("shard") && f["shard"].is_string();
  if (type == "AT_TIMESTAMP" || type == "FROM_TIMESTAMP") return f.contains("ts") && f["ts"].is_number_integer();
  return type == "AT_TRIM_HORIZON" || type == "FROM_TRIM_HORIZON" || type == "AT_LATEST";
}

// Whether the shard was open at time t (ms).
bool open_at(const core::shard_meta& sh, int64_t t) {
  return sh.created_ms <= t && (!sh.closed_ms || *sh.closed_ms > t);
}

// The filter as it travels in a token: {"type":..,"shard":..,"ts":..}.
bool passes(const document& filter, const core::stream_meta& s, const core::shard_meta& sh, int64_t now) {
  if (filter.is_null()) return true;
  const std::string type = filter["type"].get<std::string>();
  const int64_t trim_horizon = std::max(now - int64_t{s.retention_hours} * 3'600'000, s.created_ms);
  if (type == "AFTER_SHARD_ID") return core::format_shard_id(sh.index) > filter["shard"].get<std::string>();
  if (type == "AT_TRIM_HORIZON") return open_at(sh, trim_horizon);
  if (type == "FROM_TRIM_HORIZON") return true;
  if (type == "AT_LATEST") return sh.open();
  const int64_t ts = std::max(filter["ts"].get<int64_t>(), s.created_ms);
  if (type == "AT_TIMESTAMP") return open_at(sh, ts);
  return !sh.closed_ms || *sh.closed_ms > ts;  // FROM_TIMESTAMP
}

boost::asio::awaitable<op_result<document>> handle(op_context& ctx, document in) {
  const bool has_name = in.contains("StreamName") || in.contains("StreamARN");
  const bool has_token = in.contains("NextToken");
  if (has_name && has_token) {
    const char* named = in.contains("StreamARN") ? "StreamARN" : "StreamName";
    co_return fail(invalid_argument(std::string("NextToken and ") + named + " cannot be provided together."));
  }
  if (!has_name && !has_token) co_return fail(invalid_argument("Either NextToken or StreamName should be provided."));

  std::string name;
  std::string after;
  document filter;  // null: no filter
  std::optional<int64_t> created;
  if (has_token) {
    for (const char* other : {"ExclusiveStartShardId", "ShardFilter", "StreamCreationTimestamp"}) {
      if (in.contains(other)) {
        co_return fail(invalid_argument(std::string("NextToken and ") + other + " cannot be provided together."));
      }
    }
    auto state = read_next_token(in["NextToken"].get<std::string>());
    if (!state) co_return fail(std::move(state).error());
    const document& st = *state;
    // Tokens are not signed, so every field is checked before use: a forged one is just invalid.
    const auto stream_it = st.find("stream");
    const auto after_it = st.find("after");
    const auto created_it = st.find("created");
    const auto filter_it = st.find("filter");
    if (st.value("k", "") != "shards" || stream_it == st.end() || !stream_it->is_string() || after_it == st.end() ||
        !after_it->is_string() || created_it == st.end() || !created_it->is_number_integer() ||
        filter_it == st.end() || !valid_filter(*filter_it)) {
      co_return fail(invalid_argument("Invalid NextToken."));
    }
    name = stream_it->get<std::string>();
    after = after_it->get<std::string>();
    created = created_it->get<int64_t>();
    filter = *filter_it;
  } else {
    auto n = stream_name_of(ctx, in);
    if (!n) co_return fail(std::move(n).error());
    name = *n;
    after = in.value("ExclusiveStartShardId", std::string());
    if (in.contains("StreamCreationTimestamp")) created = codec::timestamp_ms(in["StreamCreationTimestamp"]);
    if (in.contains("ShardFilter")) {
      const document& f = in["ShardFilter"];
      const std::string type = f["Type"].get<std::string>();
      filter = {{"type", type}};
      if (type == "AFTER_SHARD_ID") {
        if (!f.contains("ShardId")) co_return fail(invalid_argument("ShardId must be specified for AFTER_SHARD_ID ShardFilter type."));
        filter["shard"] = f["ShardId"];
      } else if (type == "AT_TIMESTAMP" || type == "FROM_TIMESTAMP") {
        if (!f.contains("Timestamp")) {
          co_return fail(invalid_argument("Timestamp must be specified for " + type + " ShardFilter type."));
        }
        filter["ts"] = codec::timestamp_ms(f["Timestamp"]);
      }
    }
  }

  auto stream = find_stream(ctx, name);
  if (!stream) co_return fail(std::move(stream).error());
  const core::stream_meta& s = **stream;
  if (created && *created != s.created_ms) {
    co_return fail(resource_not_found("Stream " + name + " under account " + ctx.scope.account +
                                      " with the given creation timestamp not found."));
  }
  if (auto e = require_readable(s)) co_return fail(std::move(*e));

  const int64_t max_results = std::min(in.value("MaxResults", kMaxPage), kMaxPage);
  const int64_t now = now_ms();
  const int64_t expired_before = now - int64_t{s.retention_hours} * 3'600'000;
  document shards = document::array();
  std::string last;
  bool more = false;
  for (const auto& sh : s.shards) {
    const std::string id = core::format_shard_id(sh.index);
    if (!after.empty() && id <= after) continue;
    if (sh.closed_ms && *sh.closed_ms < expired_before) continue;
    if (!passes(filter, s, sh, now)) continue;
    if (static_cast<int64_t>(shards.size()) == max_results) {
      more = true;
      break;
    }
    shards.push_back(shard_document(s, sh));
    last = id;
  }
  document out = document::object();
  out["Shards"] = std::move(shards);
  if (more) {
    out["NextToken"] = make_next_token(
        {{"k", "shards"}, {"stream", s.name}, {"created", s.created_ms}, {"after", last}, {"filter", filter}});
  }
  co_return out;
}

}  // namespace

extern const operation list_shards{"ListShards", &input, &handle};

}  // namespace eddy::api::ops
