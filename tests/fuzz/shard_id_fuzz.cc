// Shard ids in requests (ShardId, ShardToSplit, ExclusiveStartShardId, ...): core/shard_id.h.
// Property: an id that parses names a shard whose own id parses to the same index.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "eddy/core/shard_id.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto ix = eddy::core::parse_shard_id(text);
  if (!ix) return 0;
  const auto again = eddy::core::parse_shard_id(eddy::core::format_shard_id(*ix));
  if (!again || *again != *ix) std::abort();
  return 0;
}
