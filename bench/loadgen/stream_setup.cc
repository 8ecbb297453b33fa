#include "stream_setup.h"

#include "requests.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>

namespace eddy::bench {
namespace {

using namespace std::chrono_literals;
using codec::document;
constexpr auto kPoll = 10ms;
constexpr auto kWaitLimit = 60s;

asio::awaitable<void> pause(std::chrono::milliseconds d) {
  asio::steady_timer t(co_await asio::this_coro::executor, d);
  co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
}

std::string text(const document& d, std::string_view key) {
  auto it = d.find(key);
  return it != d.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

asio::awaitable<stream_info> ensure_stream(kinesis_client& api, const std::string& name, int shards, bool create) {
  stream_info out;
  if (create) {
    auto r = co_await api.call("CreateStream", requests::create_stream(name, shards));
    if (!r.ok() && r.error_type != "ResourceInUseException") {
      out.error = "CreateStream: " + r.describe();
      co_return out;
    }
    out.created = r.ok();
  }
  const auto deadline = std::chrono::steady_clock::now() + kWaitLimit;
  for (;;) {
    auto r = co_await api.call("DescribeStreamSummary", requests::stream_name(name));
    if (!r.ok()) {
      out.error = "DescribeStreamSummary: " + r.describe();
      co_return out;
    }
    const auto& s = r.body["StreamDescriptionSummary"];
    const std::string status = text(s, "StreamStatus");
    if (status == "ACTIVE") {
      out.arn = text(s, "StreamARN");
      co_return out;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      out.error = "stream " + name + " still " + status + " after a minute";
      co_return out;
    }
    co_await pause(kPoll);
  }
}

asio::awaitable<shard_list> list_shards(kinesis_client& api, const std::string& stream) {
  shard_list out;
  document req = requests::stream_name(stream);
  for (;;) {
    auto r = co_await api.call("ListShards", req);
    if (!r.ok()) {
      out.error = "ListShards: " + r.describe();
      co_return out;
    }
    for (const auto& s : r.body["Shards"]) {
      // Only open shards: a closed parent's records are not part of what this run wrote. (kinesis-mock
      // writes "EndingSequenceNumber": null for an open shard.)
      const auto range = s.find("SequenceNumberRange");
      if (range != s.end() && !text(*range, "EndingSequenceNumber").empty()) continue;
      out.ids.push_back(text(s, "ShardId"));
    }
    const std::string next = text(r.body, "NextToken");
    if (next.empty()) co_return out;
    req = requests::next_token(next);
  }
}

asio::awaitable<text_result> shard_iterator(kinesis_client& api, const std::string& stream, const std::string& shard,
                                            const std::string& type) {
  text_result out;
  auto r = co_await api.call("GetShardIterator", requests::get_shard_iterator(stream, shard, type));
  if (!r.ok()) out.error = "GetShardIterator: " + r.describe();
  else out.value = text(r.body, "ShardIterator");
  co_return out;
}

asio::awaitable<text_result> ensure_consumer(kinesis_client& api, const std::string& stream_arn,
                                             const std::string& name) {
  text_result out;
  auto r = co_await api.call("RegisterStreamConsumer", requests::consumer(stream_arn, name));
  if (!r.ok() && r.error_type != "ResourceInUseException") {
    out.error = "RegisterStreamConsumer: " + r.describe();
    co_return out;
  }
  const auto deadline = std::chrono::steady_clock::now() + kWaitLimit;
  for (;;) {
    auto d = co_await api.call("DescribeStreamConsumer", requests::consumer(stream_arn, name));
    if (!d.ok()) {
      out.error = "DescribeStreamConsumer: " + d.describe();
      co_return out;
    }
    const auto& c = d.body["ConsumerDescription"];
    if (text(c, "ConsumerStatus") == "ACTIVE") {
      out.value = text(c, "ConsumerARN");
      co_return out;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      out.error = "consumer " + name + " not ACTIVE after a minute";
      co_return out;
    }
    co_await pause(kPoll);
  }
}

asio::awaitable<void> delete_stream(kinesis_client& api, const std::string& name) {
  co_await api.call("DeleteStream", requests::delete_stream(name));
}

}  // namespace eddy::bench
