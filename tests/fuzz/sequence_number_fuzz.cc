// Sequence numbers clients send back (GetShardIterator AFTER/AT_SEQUENCE_NUMBER, PutRecord's
// SequenceNumberForOrdering, SubscribeToShard): core/sequence_number.h. Property: a number that parses
// is the one format_sequence_number writes for its parts.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "eddy/core/sequence_number.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto parts = eddy::core::parse_sequence_number(text);
  if (!parts) return 0;
  // Numbers of the earlier layout ("49", 15 zeros, 39 digits) still parse, and are written in the current
  // one: for them the parts must survive the round trip; for the rest, the text itself.
  const std::string again = eddy::core::format_sequence_number(*parts);
  if (eddy::core::parse_sequence_number(again) != parts) std::abort();
  const bool legacy = text.substr(0, 17) == "49000000000000000";
  if (!legacy && again != text) std::abort();
  return 0;
}
