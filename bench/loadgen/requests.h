#pragma once
// The request documents of the control-plane and read calls, built outside the coroutines that send them:
// GCC 12 rejects braced initializer lists holding string literals inside a coroutine body ("array used as
// initializer"), and one place for the request shapes reads better anyway.
#include "eddy/codec/document.h"

#include <string>

namespace eddy::bench::requests {

using codec::document;

inline document create_stream(const std::string& name, int shards) {
  return {{"StreamName", name}, {"ShardCount", shards}};
}
inline document stream_name(const std::string& name) { return {{"StreamName", name}}; }
inline document next_token(const std::string& token) { return {{"NextToken", token}}; }
inline document delete_stream(const std::string& name) {
  return {{"StreamName", name}, {"EnforceConsumerDeletion", true}};
}
inline document get_shard_iterator(const std::string& stream, const std::string& shard, const std::string& type) {
  return {{"StreamName", stream}, {"ShardId", shard}, {"ShardIteratorType", type}};
}
inline document get_records(const std::string& iterator, int limit) {
  return {{"ShardIterator", iterator}, {"Limit", limit}};
}
inline document consumer(const std::string& stream_arn, const std::string& name) {
  return {{"StreamARN", stream_arn}, {"ConsumerName", name}};
}
inline document subscribe_latest(const std::string& consumer_arn, const std::string& shard) {
  return {{"ConsumerARN", consumer_arn}, {"ShardId", shard}, {"StartingPosition", {{"Type", "LATEST"}}}};
}

}  // namespace eddy::bench::requests
