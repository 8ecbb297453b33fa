#pragma once
// What PutRecord and PutRecords share: the writable stream, routing a record to its shard, the size
// limits, and the record shape.
#include "../../model/shape.h"
#include "../common.h"

namespace eddy::api::ops {

// The stream, if it takes writes (ACTIVE or UPDATING); otherwise AWS's ResourceNotFoundException.
op_result<std::shared_ptr<const core::stream_meta>> writable_stream(const op_context& ctx, const codec::document& in);

// The open shard for a record: MD5 of the partition key, or the ExplicitHashKey when given; any open
// shard, evenly, when the stream's RecordDistributionStrategy is AUTO.
op_result<const core::shard_meta*> route(const core::stream_meta& s, const std::string& partition_key,
                                         const codec::document& explicit_hash_key);

// Data larger than the stream's record limit: the ValidationException text AWS gives for the member at
// `path` ("data" or "records.3.member.data"), or nullopt when it fits.
std::optional<aws_error> data_too_large(const core::stream_meta& s, size_t data_bytes, const std::string& path);

// The per-record limit counts the partition key's bytes too.
size_t max_record_bytes(const core::stream_meta& s);

// The model makes PartitionKey optional since AUTO streams ignore it; every other stream still needs
// one. The ValidationException AWS's model gave for each missing key (paths like "partitionKey" or
// "records.2.member.partitionKey"), or nullopt.
std::optional<aws_error> missing_partition_keys(const core::stream_meta& s, const std::vector<std::string>& paths);

const model::shape& data_shape();
const model::shape& partition_key_shape();
const model::shape& explicit_hash_key_shape();

// Moves a validated blob member's bytes out of the document.
std::vector<uint8_t> take_blob(codec::document& blob);

}  // namespace eddy::api::ops
