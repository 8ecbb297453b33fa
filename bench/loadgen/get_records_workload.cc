// get-records: fill the stream with PutRecords (--count records, or for --duration seconds; --batch,
// --inflight, --keys, --payload as for put-records), then drain it: every open shard read from TRIM_HORIZON
// with GetRecords --limit until a call returns no records (or no next iterator), --inflight shards at a
// time. Only the read phase is measured; the fill's figures go to the report's "fill" member.
#include "requests.h"
#include "stream_setup.h"
#include "workloads.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <deque>

namespace eddy::bench {
namespace {

using namespace std::chrono_literals;
using codec::document;
constexpr int kMaxConsecutiveErrors = 20;

struct drain_state {
  std::deque<std::string> shards;
  int running = 0;
  int64_t empty_calls = 0;
};

asio::awaitable<void> pause(asio::any_io_executor ex, std::chrono::milliseconds d) {
  asio::steady_timer t(ex, d);
  co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
}

// Reads shards off the queue until it is empty.
asio::awaitable<void> shard_reader(bench_run& run, drain_state& drain) {
  auto& stats = run.stats;
  while (!drain.shards.empty()) {
    const std::string shard = std::move(drain.shards.front());
    drain.shards.pop_front();
    auto it = co_await shard_iterator(run.api, run.opt.stream, shard, "TRIM_HORIZON");
    if (!it.error.empty()) {
      ++stats.request_errors[it.error];
      continue;
    }
    std::string iterator = std::move(it.value);
    int errors_in_a_row = 0;
    while (!iterator.empty()) {
      const std::string body = run.api.encode(requests::get_records(iterator, run.opt.limit));
      const auto t0 = clock_type::now();
      const http_response r = co_await run.api.send("GetRecords", body, "");
      const auto t1 = clock_type::now();
      if (r.status != 200) {
        ++stats.request_errors[r.status == 0 ? "transport: " + r.transport_error : error_type_of(r, run.api.format())];
        if (++errors_in_a_row >= kMaxConsecutiveErrors) break;
        co_await pause(run.ex, 100ms);  // e.g. a peer's throughput limit: back off, then retry the same iterator
        continue;
      }
      errors_in_a_row = 0;
      response_summary s;
      if (!scan_response(r.body, run.api.format(), s)) {
        ++stats.request_errors["unreadable GetRecords response"];
        break;
      }
      ++stats.requests;
      stats.records += s.records;
      stats.bytes += s.data_bytes;
      stats.latency_ns.push_back(std::chrono::nanoseconds(t1 - t0).count());
      if (s.records == 0) {
        ++drain.empty_calls;
        break;  // the end of what was written: every peer returns records while there are any
      }
      iterator = s.next_shard_iterator.value_or("");
    }
  }
}

}  // namespace

asio::awaitable<void> run_get_records(bench_run& run) {
  const auto& o = run.opt;
  auto s = co_await ensure_stream(run.api, o.stream, o.shards, o.create);
  if (!s.error.empty()) {
    run.fatal = s.error;
    co_return;
  }
  run.extra["stream_arn"] = s.arn;

  // Fill. put_phase measures into run.stats; those figures become the "fill" member.
  run.phase = "fill";
  co_await put_phase(run, true, o.count, o.duration, 0);
  const int64_t filled = run.stats.records;
  run.extra["fill"] = {
      {"records", filled},
      {"seconds", run.measured_seconds()},
      {"records_per_s", run.measured_seconds() > 0 ? static_cast<double>(filled) / run.measured_seconds() : 0.0},
      {"errors", run.stats.errors()},
  };
  if (filled == 0) {
    run.fatal = "the fill wrote no records";
    co_return;
  }

  auto shards = co_await list_shards(run.api, o.stream);
  if (!shards.error.empty()) {
    run.fatal = shards.error;
    co_return;
  }
  drain_state drain;
  drain.shards.assign(shards.ids.begin(), shards.ids.end());
  run.phase = "read";
  run.begin_measuring(clock_type::now());
  const int readers = std::min<int>(o.inflight, static_cast<int>(drain.shards.size()));
  drain.running = readers;
  asio::steady_timer done(run.ex, asio::steady_timer::time_point::max());
  for (int i = 0; i < readers; ++i) {
    asio::co_spawn(run.ex, shard_reader(run, drain), [&drain, &done](std::exception_ptr e) {
      if (e) std::rethrow_exception(e);
      if (--drain.running == 0) done.cancel();
    });
  }
  while (drain.running > 0) co_await done.async_wait(asio::as_tuple(asio::use_awaitable));
  run.end_measuring(clock_type::now());
  run.extra["shards_read"] = shards.ids.size();
  // On a stream this run created, the drain must read back exactly what the fill wrote.
  if (s.created) {
    run.extra["records_expected"] = filled;
    if (run.stats.records != filled) {
      run.stats.request_errors["drain read " + std::to_string(run.stats.records) + " of " + std::to_string(filled) +
                               " records"] = 1;
    }
  }
}

}  // namespace eddy::bench
