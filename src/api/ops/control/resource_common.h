#pragma once
// What the tag, resource-policy and stream-setting operations share: the model's tag and
// ResourceARN shapes, finding the stream or consumer a ResourceARN names, and editing the tags and
// policy it carries.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "../../model/shape.h"
#include "../common.h"
#include "eddy/core/tag_rules.h"

namespace eddy::api::ops {

// The model's TagMap (1..200 entries; keys 1..128 and values 0..256 characters), TagKeyList (1..50
// keys) and ResourceARN (a stream's or a consumer's ARN).
const model::shape& tag_map_shape();
const model::shape& tag_key_list_shape();
const model::shape& resource_arn_shape();

core::tag_map tag_map_of(const codec::document& tags);
std::vector<std::string> tag_keys_of(const codec::document& keys);
// [{Key, Value}] in key order, starting after `after` (when given), at most `limit` of them.
codec::document tag_list_document(const core::tag_map& tags, const std::string& after = {},
                                  size_t limit = SIZE_MAX);

// A stream, or one registration of a consumer of it, as a ResourceARN names it.
struct resource_ref {
  std::string arn;
  std::string stream;
  std::optional<std::string> consumer;
  int64_t consumer_created_ms = 0;  // which registration: a re-registered consumer has a new ARN
};
op_result<resource_ref> resolve_resource(const op_context& ctx, const std::string& arn);

// What a resource carries that these operations read and change.
struct resource_state {
  core::tag_map tags;
  std::string policy;  // empty: none
};
op_result<resource_state> read_resource(const op_context& ctx, const resource_ref& ref);

// Edits a resource's tags and policy in place; an error leaves both untouched and is the answer.
using resource_edit = std::function<core::result<void>(core::tag_map& tags, std::string& policy,
                                                       const core::tag_owner& owner)>;
// Applies `edit` under the registry's lock, to the stream in any state but CREATING and DELETING.
op_result<void> edit_resource(const op_context& ctx, const resource_ref& ref,
                              const resource_edit& edit);

// The stream a request names through StreamName/StreamARN, and how the tag messages name it.
core::tag_owner stream_owner(const op_context& ctx, const std::string& stream);

}  // namespace eddy::api::ops
