#pragma once
// Kinesis's rules for tags beyond the model's lengths (which the validator checks): the character
// set, the reserved "aws:" prefix, and at most 50 tags per resource. Streams and consumers share
// them; the messages name the resource the way AWS's do ("stream foo under account 123456789012").
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "eddy/core/errc.h"

namespace eddy::core {

using tag_map = std::map<std::string, std::string>;

inline constexpr size_t max_tags_per_resource = 50;

// True when every character of `text` is a Unicode letter, digit or space, or one of _ . / = + - @
// :. Letters and digits outside ASCII are recognised by block (Latin-1 letters up to CJK and
// Hangul), not by a full Unicode database.
bool valid_tag_text(const std::string& text);

// What carries the tags, as the messages name it: kind "stream", description "stream foo under
// account 123456789012".
struct tag_owner {
  std::string kind;
  std::string description;
};
tag_owner stream_tag_owner(const std::string& stream, const std::string& account);
tag_owner consumer_tag_owner(const std::string& consumer, const std::string& stream,
                             const std::string& account);

// InvalidArgumentException unless every key and value may be stored.
result<void> check_tags_to_add(const tag_map& tags, const tag_owner& owner);
// InvalidArgumentException unless every key is one a tag could have.
result<void> check_tag_keys_to_remove(const std::vector<std::string>& keys, const tag_owner& owner);
// Checks `tags`, then adds (or overwrites) them in `current`, failing without a change past 50 tags
// in all.
result<void> add_tags(tag_map& current, const tag_map& tags, const tag_owner& owner);
void remove_tags(tag_map& current, const std::vector<std::string>& keys);

}  // namespace eddy::core
