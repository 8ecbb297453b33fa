#pragma once
// Shard identity: an index that keeps growing across reshards, written on the wire as
// "shardId-" + 12 zero-padded digits.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "eddy/base/strong_id.h"

namespace eddy::core {

struct shard_index_tag;
using shard_index = strong<shard_index_tag, uint32_t>;

std::string format_shard_id(shard_index ix);

// Accepts "shardId-000000000001", any "<prefix>-<digits>" and bare digits, as AWS does.
std::optional<shard_index> parse_shard_id(std::string_view id);

}  // namespace eddy::core
