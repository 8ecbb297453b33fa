// Request bodies in application/x-amz-json-1.1 (codec/json_codec.h): simdjson, with nlohmann's parser
// deciding what simdjson refuses.
// Properties: the decoder agrees with nlohmann's own parser on every body both accept (the fallback's
// contract), it refuses only what nlohmann refuses or what nests deeper than 64 levels, and what it
// accepts encodes to JSON that decodes and encodes to the same bytes again.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "eddy/codec/json_codec.h"

namespace {

using eddy::codec::document;

size_t depth(const document& root) {
  size_t deepest = 0;
  std::vector<std::pair<const document*, size_t>> todo{{&root, 0}};
  while (!todo.empty()) {
    auto [d, level] = todo.back();
    todo.pop_back();
    if (!d->is_structured()) continue;
    deepest = std::max(deepest, level + 1);
    for (const auto& child : *d) todo.emplace_back(&child, level + 1);
  }
  return deepest;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  const auto decoded = eddy::codec::json::decode(body);
  const document reference = document::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!decoded) {
    if (!reference.is_discarded() && depth(reference) <= 64) std::abort();
    return 0;
  }
  if (reference.is_discarded() || *decoded != reference) std::abort();
  const std::string once = eddy::codec::json::encode(*decoded);
  const auto again = eddy::codec::json::decode(once);
  if (!again || eddy::codec::json::encode(*again) != once) std::abort();
  return 0;
}
