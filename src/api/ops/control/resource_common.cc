#include "resource_common.h"

#include <regex>

#include "../../model/shapes.h"
#include "../fanout/consumer_common.h"

namespace eddy::api::ops {

using codec::document;

const model::shape& tag_map_shape() {
  static const model::shape key{.k = model::kind::string, .min_length = 1, .max_length = 128};
  static const model::shape value{.k = model::kind::string, .min_length = 0, .max_length = 256};
  static const model::shape s{
      .k = model::kind::map, .min_length = 1, .max_length = 200, .element = &value, .key = &key};
  return s;
}

const model::shape& tag_key_list_shape() {
  static const model::shape key{.k = model::kind::string, .min_length = 1, .max_length = 128};
  static const model::shape s{
      .k = model::kind::list, .min_length = 1, .max_length = 50, .element = &key};
  return s;
}

const model::shape& resource_arn_shape() {
  static const model::shape s{
      .k = model::kind::string,
      .min_length = 1,
      .max_length = 2048,
      .regex = model::make_pattern("arn:aws.*:kinesis:.*:\\d{12}:.*stream/\\S+")};
  return s;
}

core::tag_map tag_map_of(const document& tags) {
  core::tag_map out;
  for (const auto& [k, v] : tags.items()) out.emplace(k, v.get<std::string>());
  return out;
}

std::vector<std::string> tag_keys_of(const document& keys) {
  std::vector<std::string> out;
  for (const auto& k : keys) out.push_back(k.get<std::string>());
  return out;
}

document tag_list_document(const core::tag_map& tags, const std::string& after, size_t limit) {
  document out = document::array();
  for (auto it = after.empty() ? tags.begin() : tags.upper_bound(after);
       it != tags.end() && out.size() < limit; ++it) {
    out.push_back({{"Key", it->first}, {"Value", it->second}});
  }
  return out;
}

op_result<resource_ref> resolve_resource(const op_context& ctx, const std::string& arn) {
  // The consumer pattern first: every consumer ARN also matches the stream pattern.
  if (std::regex_match(arn, *consumer_arn_shape().regex->re)) {
    auto found = find_consumer(ctx, document{{"ConsumerARN", arn}});
    if (!found) return fail(std::move(found).error());
    return resource_ref{arn, found->stream->name, found->consumer.name, found->consumer.created_ms};
  }
  if (!std::regex_match(arn, *model::shapes::stream_arn().regex->re)) {
    return fail(
        invalid_argument("ResourceARN " + arn + " is neither a stream ARN nor a consumer ARN."));
  }
  auto name = stream_name_of(ctx, document{{"StreamARN", arn}});
  if (!name) return fail(std::move(name).error());
  auto stream = find_stream(ctx, *name);
  if (!stream) return fail(std::move(stream).error());
  return resource_ref{arn, *name, std::nullopt, 0};
}

namespace {

core::error consumer_gone(const resource_ref& ref, const std::string& account) {
  return {core::errc::resource_not_found, "Consumer " + *ref.consumer + " under stream " +
                                              ref.stream + " and account " + account +
                                              " not found."};
}

core::consumer_meta* consumer_of(core::stream_meta& s, const resource_ref& ref) {
  for (auto& c : s.consumers) {
    if (c.name == *ref.consumer && c.created_ms == ref.consumer_created_ms) return &c;
  }
  return nullptr;
}

}  // namespace

op_result<resource_state> read_resource(const op_context& ctx, const resource_ref& ref) {
  auto stream = find_stream(ctx, ref.stream);
  if (!stream) return fail(std::move(stream).error());
  core::stream_meta copy = **stream;
  if (!ref.consumer) return resource_state{copy.tags, copy.policy};
  const core::consumer_meta* c = consumer_of(copy, ref);
  if (!c) return fail(to_aws_error(consumer_gone(ref, ctx.scope.account)));
  return resource_state{c->tags, c->policy};
}

op_result<void> edit_resource(const op_context& ctx, const resource_ref& ref,
                              const resource_edit& edit) {
  const std::string account = ctx.scope.account;
  auto r = ctx.registry.edit_stream(
      ctx.scope, ref.stream,
      [&](core::stream_meta& next, const core::account_limits&) -> core::result<void> {
        if (!ref.consumer)
          return edit(next.tags, next.policy, core::stream_tag_owner(next.name, account));
        core::consumer_meta* c = consumer_of(next, ref);
        if (!c) return fail(consumer_gone(ref, account));
        return edit(c->tags, c->policy, core::consumer_tag_owner(c->name, next.name, account));
      });
  if (!r) return fail(to_aws_error(r.error()));
  return {};
}

core::tag_owner stream_owner(const op_context& ctx, const std::string& stream) {
  return core::stream_tag_owner(stream, ctx.scope.account);
}

}  // namespace eddy::api::ops
