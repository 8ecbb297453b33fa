// ExplicitHashKey and SplitShard's NewStartingHashKey: decimal text to a 128-bit key (base/uint128.h).
// Property: whatever parses prints back as the same number without its leading zeros.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "eddy/base/uint128.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto v = eddy::parse_decimal(text);
  if (!v) return 0;
  std::string_view digits = text.substr(0, text.size() - 1);
  const size_t first = digits.find_first_not_of('0');
  digits = text.substr(first == std::string_view::npos ? text.size() - 1 : first);
  if (eddy::to_decimal(*v) != digits) std::abort();
  return 0;
}
