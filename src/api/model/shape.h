#pragma once
// Declarative input shapes: the members, types and constraints of each operation's request, as the
// Kinesis service model states them. One validator walks a document against its shape and produces
// AWS's own SerializationException (wrong JSON type) and ValidationException (constraint) texts.
#include <cstdint>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

namespace eddy::api::model {

enum class kind { string, integer, long_, boolean, blob, timestamp, list, map, structure };

struct pattern {
  std::string text;
  std::shared_ptr<const std::regex> re;
};
pattern make_pattern(const char* text);

struct member;

struct shape {
  kind k = kind::string;
  std::optional<int64_t> min_length;  // characters (UTF-16 units, as Java counts), bytes or items
  std::optional<int64_t> max_length;
  std::optional<int64_t> min_value;
  std::optional<int64_t> max_value;
  std::optional<pattern> regex;
  std::vector<std::string> enum_values;
  const shape* element = nullptr;  // list element, map value
  const shape* key = nullptr;      // map key
  std::vector<member> members;     // structure
  std::string java_name;           // structure: how AWS prints one inside a list value
};

struct member {
  std::string name;
  const shape* s = nullptr;
  bool required = false;
};

}  // namespace eddy::api::model
