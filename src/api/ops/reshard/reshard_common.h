#pragma once
// What SplitShard, MergeShards and UpdateShardCount share: the shard-id lookup with AWS's not-found text,
// and the provisioned-mode rule.
#include <optional>

#include "../common.h"

namespace eddy::api::ops {

// The shard index a ShardToSplit / ShardToMerge names, or ResourceNotFoundException.
op_result<core::shard_index> shard_to_change(const op_context& ctx, const std::string& stream,
                                             const std::string& requested);

// Resharding is for PROVISIONED streams only; on-demand streams scale by themselves.
core::result<void> require_provisioned(const core::stream_meta& s, std::string_view operation);

}  // namespace eddy::api::ops
