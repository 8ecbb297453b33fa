#pragma once
// The 128-bit hash-key space [0, 2^128-1] that partition keys are hashed into, and its division among
// shards. A stream's open shards always cover it with no gap and no overlap.
#include <cstdint>
#include <string_view>
#include <vector>

#include "eddy/base/uint128.h"

namespace eddy::core {

struct hash_range {
  u128 start = 0;
  u128 end = 0;  // inclusive
  bool contains(u128 h) const { return start <= h && h <= end; }
  friend bool operator==(const hash_range&, const hash_range&) = default;
};

// n ranges of floor(2^128 / n) keys each, the last one stretched to end at 2^128-1, as AWS does.
std::vector<hash_range> split_evenly(uint32_t n);

// MD5 of the partition key's UTF-8 bytes, read as a big-endian 128-bit integer.
u128 partition_hash(std::string_view partition_key);

}  // namespace eddy::core
