#pragma once
// The control-plane steps the workloads share: make the stream (or find it), wait until it is ACTIVE, list
// its shards, get iterators, register a consumer. Waits poll the status every 10 ms (DescribeStreamSummary,
// DescribeStreamConsumer) for at most a minute: peers differ in how long CREATING lasts (kinesis-mock's
// default is 500 ms, eddy's and kinesalite's 0 when told so), and no fixed sleep suits all of them.
#include "kinesis_client.h"

#include <string>
#include <vector>

namespace eddy::bench {

// Every result holds either the value or, in `error`, what went wrong.
struct stream_info {
  std::string arn;
  bool created = false;  // by this call (not found already there)
  std::string error;
};

// CreateStream unless `create` is false (a stream that already exists is used as it is), then waits ACTIVE.
asio::awaitable<stream_info> ensure_stream(kinesis_client& api, const std::string& name, int shards, bool create);

struct shard_list {
  std::vector<std::string> ids;
  std::string error;
};
asio::awaitable<shard_list> list_shards(kinesis_client& api, const std::string& stream);

struct text_result {
  std::string value;
  std::string error;
};
asio::awaitable<text_result> shard_iterator(kinesis_client& api, const std::string& stream, const std::string& shard,
                                            const std::string& type);

// RegisterStreamConsumer (or finds the consumer already there), then waits ACTIVE; the value is its ARN.
asio::awaitable<text_result> ensure_consumer(kinesis_client& api, const std::string& stream_arn,
                                             const std::string& name);

asio::awaitable<void> delete_stream(kinesis_client& api, const std::string& name);

}  // namespace eddy::bench
