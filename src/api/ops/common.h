#pragma once
// Pieces several operation handlers share: finding the stream a request names, rendering shards and
// stream modes, and the opaque pagination tokens.
#include <optional>
#include <string>

#include "../operation.h"

namespace eddy::api::ops {

// The stream a request names through StreamName and/or StreamARN (which must agree).
op_result<std::string> stream_name_of(const op_context& ctx, const codec::document& in);

// The stream, or AWS's ResourceNotFoundException.
op_result<std::shared_ptr<const core::stream_meta>> find_stream(const op_context& ctx, const std::string& name);

// The stream the request names (StreamName and/or StreamARN), or the error AWS gives.
op_result<std::shared_ptr<const core::stream_meta>> find_named_stream(const op_context& ctx, const codec::document& in);

// AWS's ResourceNotFoundException for a shard of `s` that is missing (or not readable yet).
aws_error shard_not_found(const op_context& ctx, const std::string& stream, const std::string& shard_id);

// Stored records as GetRecords and SubscribeToShard events show them, packed (codec/record_list.h).
codec::document records_document(const core::stream_meta& s, core::shard_index shard,
                                 const std::vector<core::stored_record>& records);

// ResourceInUseException unless the stream is ACTIVE or UPDATING.
std::optional<aws_error> require_readable(const core::stream_meta& s);

codec::document shard_document(const core::stream_meta& s, const core::shard_meta& shard);
// The shards a reshard made from `parent`: [{ShardId, ParentShards, HashKeyRange}], as GetRecords and
// SubscribeToShard report them at the end of a closed shard.
codec::document child_shards_document(const core::stream_meta& s, core::shard_index parent);
codec::document stream_mode_document(core::stream_mode m);
codec::document enhanced_monitoring_document(const core::stream_meta& s);

// Pagination tokens: base64url of a small JSON object stamped with the time it was issued. They expire
// after 300 s, as AWS's do.
std::string make_next_token(codec::document state);
// The token's state; InvalidArgumentException when unreadable, ExpiredNextTokenException when old.
op_result<codec::document> read_next_token(const std::string& token);

}  // namespace eddy::api::ops
