// Lists and maps of scalars fail whole, with every constraint of their elements named, as AWS's
// validator reports them; lists of structures still name the failing member by index.
#include <gtest/gtest.h>

#include "model/validator.h"

namespace eddy::api::model {
namespace {

using codec::document;

const shape& tagged() {
  static const shape key{.k = kind::string, .min_length = 1, .max_length = 128};
  static const shape value{.k = kind::string, .min_length = 0, .max_length = 256};
  static const shape tags{
      .k = kind::map, .min_length = 1, .max_length = 200, .element = &value, .key = &key};
  static const shape metric{.k = kind::string, .enum_values = {"A", "ALL"}};
  static const shape metrics{.k = kind::list, .min_length = 1, .max_length = 7, .element = &metric};
  static const shape s{.k = kind::structure, .members = {{"Tags", &tags}, {"Metrics", &metrics}}};
  return s;
}

std::string message_of(const document& in) {
  auto r = validate(tagged(), in, protocol::json);
  return r.ok() ? "" : r.error().message;
}

TEST(ValidatorCollections, ScalarListFailsWholeWithItsElementConstraints) {
  EXPECT_EQ(message_of({{"Metrics", document::array({"A", "B", "C"})}}),
            "1 validation error detected: Value '[A, B, C]' at 'metrics' failed to satisfy "
            "constraint: Member must "
            "satisfy constraint: [Member must satisfy enum value set: [A, ALL]]");
  EXPECT_EQ(message_of({{"Metrics", document::array({"A", "ALL"})}}), "");
}

TEST(ValidatorCollections, MapKeysAndValuesFailWhole) {
  const std::string long_key(129, 'k');
  EXPECT_EQ(message_of({{"Tags", {{long_key, "v"}}}}),
            "1 validation error detected: Value '{" + long_key +
                "=v}' at 'tags' failed to satisfy constraint: Map "
                "key must satisfy constraint: [Member must have length less than or equal to 128, "
                "Member must have "
                "length greater than or equal to 1]");
  EXPECT_EQ(message_of({{"Tags", {{"a", std::string(257, 'v')}, {"", "x"}}}}),
            "2 validation errors detected: Value '{=x, a=" + std::string(257, 'v') +
                "}' at 'tags' failed to satisfy "
                "constraint: Map key must satisfy constraint: [Member must have length less than "
                "or equal to 128, Member "
                "must have length greater than or equal to 1]; Value '{=x, a=" +
                std::string(257, 'v') +
                "}' at 'tags' "
                "failed to satisfy constraint: Map value must satisfy constraint: [Member must "
                "have length less than or "
                "equal to 256, Member must have length greater than or equal to 0]");
}

TEST(ValidatorCollections, CollectionSizeIsStillCheckedOnItsOwn) {
  EXPECT_EQ(message_of({{"Tags", document::object()}}),
            "1 validation error detected: Value '{}' at 'tags' failed to satisfy constraint: "
            "Member must have length "
            "greater than or equal to 1");
}

}  // namespace
}  // namespace eddy::api::model
