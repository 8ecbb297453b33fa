// subscribe: put -> SubscribeToShard event latency.
//
// A consumer is registered on the stream and subscribed, over its own h2c connection, to the first shard at
// LATEST. Records are then put one at a time (over --protocol), each tagged in its data ("r<n>."), and the
// next is sent only when the previous one's event has arrived (or --event-timeout passed), so every sample
// is taken on an otherwise idle path. Latency runs from just before the put is sent to the arrival of the
// event frame carrying it; the put's own round trip ("ack") is reported next to it for scale.
//
// LATEST is resolved by the server when the subscription starts, which a client cannot observe directly
// (kinesis-mock sends no initial-response event): so "sync" records are put until one of them comes back,
// and only then does measuring start.
#include "eventstream_reader.h"
#include "requests.h"
#include "stream_setup.h"
#include "workloads.h"

#include "eddy/base/base64.h"
#include "eddy/codec/cbor_codec.h"
#include "eddy/codec/json_codec.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <unordered_map>

namespace eddy::bench {
namespace {

using namespace std::chrono_literals;
using codec::document;

// What the subscription has seen; written by the h2 reader's callbacks, read by the producer loop.
struct subscription_state {
  explicit subscription_state(asio::any_io_executor ex) : wake(ex) {}
  int status = 0;
  bool headers = false;
  bool ended = false;
  std::string error;
  eventstream_reader reader;
  std::unordered_map<std::string, clock_type::time_point> arrivals;  // record tag -> event arrival
  int64_t events = 0;
  asio::steady_timer wake;  // cancelled whenever something above changes

  void notify() { wake.cancel(); }
};

// The tag a record carries at the start of its data: everything before the first '.'.
std::string tag_of(std::string_view data) { return std::string(data.substr(0, data.find('.'))); }

std::string record_data(const document& r) {
  auto it = r.find("Data");
  if (it == r.end()) return {};
  if (it->is_binary()) return std::string(it->get_binary().begin(), it->get_binary().end());
  if (it->is_string()) return base64::decode_lenient(it->get<std::string>()).value_or("");
  return {};
}

void on_frames(subscription_state& st, std::vector<event_frame>& frames, clock_type::time_point now) {
  for (const auto& f : frames) {
    const auto type = f.header(":message-type").value_or("");
    if (type == "event") {
      if (f.header(":event-type").value_or("") != "SubscribeToShardEvent") continue;
      ++st.events;
      const bool cbor = f.header(":content-type").value_or("").find("cbor") != std::string_view::npos;
      auto d = cbor ? codec::cbor::decode(f.payload) : codec::json::decode(f.payload);
      if (!d || !d->contains("Records")) continue;
      for (const auto& r : (*d)["Records"]) st.arrivals.emplace(tag_of(record_data(r)), now);
    } else {
      st.error = std::string(type) + " frame: " +
                 std::string(f.header(":exception-type").value_or(f.header(":error-code").value_or(""))) + " " +
                 f.payload;
    }
  }
  frames.clear();
}

// Runs the subscription until the server ends it or the transport is closed.
asio::awaitable<void> subscription_task(kinesis_client& sub_api, std::string body, subscription_state* st) {
  stream_sink sink;
  sink.on_headers = [st](int status, std::string_view) {
    st->status = status;
    st->headers = true;
    st->notify();
  };
  sink.on_data = [st](std::string_view bytes) {
    const auto now = clock_type::now();
    std::vector<event_frame> frames;
    if (st->reader.feed(bytes, frames) != eventstream_reader::status::ok) st->error = "bad event-stream framing";
    on_frames(*st, frames, now);
    st->notify();
  };
  const http_response r = co_await sub_api.stream("SubscribeToShard", std::move(body), std::move(sink));
  if (r.status != 200 && st->error.empty()) {
    st->error = r.status == 0 ? "transport: " + r.transport_error : "SubscribeToShard: " + error_type_of(r, sub_api.format());
  }
  st->ended = true;
  st->notify();
}

// Waits until `ready()` or the deadline.
template <typename Pred>
asio::awaitable<bool> wait_until(subscription_state& st, clock_type::time_point deadline, Pred ready) {
  while (!ready()) {
    if (clock_type::now() >= deadline) co_return false;
    st.wake.expires_at(deadline);
    co_await st.wake.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  co_return true;
}

}  // namespace

asio::awaitable<void> run_subscribe(bench_run& run) {
  const auto& o = run.opt;
  auto s = co_await ensure_stream(run.api, o.stream, o.shards, o.create);
  if (!s.error.empty()) {
    run.fatal = s.error;
    co_return;
  }
  auto consumer = co_await ensure_consumer(run.api, s.arn, o.consumer);
  if (!consumer.error.empty()) {
    run.fatal = consumer.error;
    co_return;
  }
  auto shards = co_await list_shards(run.api, o.stream);
  if (!shards.error.empty() || shards.ids.empty()) {
    run.fatal = shards.error.empty() ? "the stream has no open shard" : shards.error;
    co_return;
  }

  // The subscriber: HTTP/2 whatever --protocol is (SubscribeToShard is an HTTP/2 operation for the SDKs).
  auto sub_transport = make_transport(protocol::h2, run.ex, o.address);
  kinesis_client sub_api(*sub_transport, run.signer, run.api.format(), o.address.authority());
  subscription_state st(run.ex);
  const std::string body = sub_api.encode(requests::subscribe_latest(consumer.value, shards.ids.front()));
  asio::co_spawn(run.ex, subscription_task(sub_api, body, &st), asio::detached);
  run.phase = "subscribe";
  co_await wait_until(st, clock_type::now() + 30s, [&] { return st.headers || st.ended; });
  if (st.status != 200) {
    run.fatal = st.error.empty() ? "SubscribeToShard answered " + std::to_string(st.status) : st.error;
    sub_transport->close();
    co_await wait_until(st, clock_type::now() + 5s, [&] { return st.ended; });
    co_return;
  }

  // Sync: put marked records until one comes back through the subscription.
  run.phase = "sync";
  bool synced = false;
  const auto sync_deadline = clock_type::now() + 30s;
  for (int k = 0; !synced && clock_type::now() < sync_deadline && !st.ended; ++k) {
    const std::string tag = "sync" + std::to_string(k);
    const auto b = make_tagged_put(run.api, o.stream, tag, o.payload);
    co_await run.api.send("PutRecord", b.bytes, b.sha256);
    synced = co_await wait_until(st, std::min(sync_deadline, clock_type::now() + 3s),
                                 [&] { return st.arrivals.contains(tag) || st.ended; }) &&
             st.arrivals.contains(tag);
  }
  if (!synced) {
    run.fatal = "no event arrived for 30 s of puts" + (st.error.empty() ? std::string() : ": " + st.error);
    sub_transport->close();
    co_await wait_until(st, clock_type::now() + 5s, [&] { return st.ended; });
    co_return;
  }
  st.arrivals.clear();

  // Measure.
  run.phase = o.warmup > 0 ? "warmup" : "measure";
  const auto warmup_end = clock_type::now() + std::chrono::duration_cast<clock_type::duration>(
                                                  std::chrono::duration<double>(o.warmup));
  const auto duration = std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(o.duration));
  const auto event_timeout = std::chrono::duration_cast<clock_type::duration>(
      std::chrono::duration<double>(o.event_timeout));
  std::vector<int64_t> ack_ns;
  int64_t events_before_ack = 0;
  int64_t measured_puts = 0;
  for (int64_t i = 0; !st.ended; ++i) {
    const auto now = clock_type::now();
    if (!run.measuring && now >= warmup_end) run.begin_measuring(now);
    if (run.measuring) {
      if (o.duration > 0 && now >= run.measure_start + duration) break;
      if (o.count > 0 && measured_puts >= o.count) break;
    }
    const bool measured = run.measuring;
    const std::string tag = "r" + std::to_string(i);
    const auto b = make_tagged_put(run.api, o.stream, tag, o.payload);
    const auto t_send = clock_type::now();
    const http_response r = co_await run.api.send("PutRecord", b.bytes, b.sha256);
    const auto t_ack = clock_type::now();
    if (measured) ++measured_puts;
    if (r.status != 200) {
      if (measured) ++run.stats.request_errors[r.status == 0 ? "transport: " + r.transport_error : error_type_of(r, run.api.format())];
      continue;
    }
    const bool arrived = co_await wait_until(st, t_ack + event_timeout, [&] { return st.arrivals.contains(tag); });
    if (!measured) {
      st.arrivals.erase(tag);
      continue;
    }
    run.measure_end = clock_type::now();
    if (!arrived) {
      ++run.stats.record_errors["event not received within --event-timeout"];
      continue;
    }
    const auto at = st.arrivals[tag];
    st.arrivals.erase(tag);
    ++run.stats.requests;
    ++run.stats.records;
    run.stats.bytes += b.payload_bytes;
    run.stats.latency_ns.push_back(std::chrono::nanoseconds(at - t_send).count());
    ack_ns.push_back(std::chrono::nanoseconds(t_ack - t_send).count());
    if (at <= t_ack) ++events_before_ack;
  }
  if (!run.measuring) run.begin_measuring(clock_type::now());
  run.end_measuring(std::max(run.measure_end, run.measure_start));
  if (st.ended) ++run.stats.request_errors["subscription ended early" + (st.error.empty() ? "" : ": " + st.error)];
  run.extra["ack_latency_ms"] = summarize(ack_ns).to_json();
  run.extra["events_before_ack"] = events_before_ack;
  run.extra["events"] = st.events;
  run.extra["consumer_arn"] = consumer.value;
  run.extra["shard"] = shards.ids.front();

  sub_transport->close();
  co_await wait_until(st, clock_type::now() + 5s, [&] { return st.ended; });
}

}  // namespace eddy::bench
