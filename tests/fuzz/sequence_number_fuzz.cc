// Sequence numbers clients send back (GetShardIterator AFTER/AT_SEQUENCE_NUMBER, PutRecord's
// SequenceNumberForOrdering, SubscribeToShard): core/sequence_number.h. Property: a number that parses
// is the one format_sequence_number writes for its parts.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "eddy/core/sequence_number.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto parts = eddy::core::parse_sequence_number(text);
  if (!parts) return 0;
  if (eddy::core::format_sequence_number(*parts) != text) std::abort();
  return 0;
}
