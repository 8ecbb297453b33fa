#pragma once
// Appending records to the shards their hash keys route to, surviving a reshard in between: records a
// sealed (just closed) shard turns away are routed again on a fresh snapshot of the stream, where the
// children now cover their keys. PutRecord and PutRecords share it.
#include <functional>

#include "../common.h"

namespace eddy::api::ops {

struct placed_record {
  core::shard_index shard{0};
  uint64_t position = 0;
  bool ok = false;          // false: storage failed (InternalFailure), or throttled
  bool throttled = false;   // the shard's write queue was full: ProvisionedThroughputExceededException
};

// Picks record i's shard in snapshot `s`.
using record_router = std::function<op_result<const core::shard_meta*>(const core::stream_meta& s, size_t i)>;
// A fresh snapshot of the stream being written.
using stream_reloader = std::function<op_result<std::shared_ptr<const core::stream_meta>>()>;

// Appends records[i] (moved from) to router(*stream, i), each shard's run in index order. `stream` is
// updated to the last snapshot used. Fails only when routing or reloading fails.
boost::asio::awaitable<op_result<std::vector<placed_record>>> append_routed(
    op_context& ctx, std::shared_ptr<const core::stream_meta>& stream, std::vector<core::append_record> records,
    const record_router& router, const stream_reloader& reload);

}  // namespace eddy::api::ops
