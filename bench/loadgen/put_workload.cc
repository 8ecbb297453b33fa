// put-records and put-record: --inflight workers, each sending prepared bodies back to back.
//
// Which requests count: those issued while measuring (after --warmup), so requests in flight when the
// warm-up ends are not half-counted. The measured time runs from the first measured issue to the last
// measured completion; with --duration, no request is issued after it ends and those in flight finish.
#include "stream_setup.h"
#include "workloads.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <vector>

namespace eddy::bench {
namespace {

constexpr int kPoolBodies = 32;  // distinct bodies cycled through; keys still spread per --keys

struct put_plan {
  std::vector<prepared_body> pool;
  const prepared_body* tail = nullptr;  // the short last body of a --count that is not a batch multiple
  int64_t total_requests = 0;           // 0: bounded by time only
  bool batch = true;
  clock_type::duration duration{};      // zero: no time bound
  clock_type::time_point warmup_end{};
  int64_t issued = 0;                   // measured requests issued
  int64_t next = 0;                     // pool cursor
};

std::string_view operation(bool batch) { return batch ? "PutRecords" : "PutRecord"; }

asio::awaitable<void> put_worker(bench_run& run, put_plan& plan) {
  for (;;) {
    const auto now = clock_type::now();
    if (!run.measuring && now >= plan.warmup_end) run.begin_measuring(now);
    const bool measured = run.measuring;
    if (measured) {
      if (plan.duration.count() > 0 && now >= run.measure_start + plan.duration) break;
      if (plan.total_requests > 0 && plan.issued >= plan.total_requests) break;
    }
    const prepared_body* body = &plan.pool[static_cast<size_t>(plan.next++ % static_cast<int64_t>(plan.pool.size()))];
    if (measured && plan.tail && plan.issued == plan.total_requests - 1) body = plan.tail;
    if (measured) ++plan.issued;
    const auto t0 = clock_type::now();
    const http_response r = co_await run.api.send(operation(plan.batch), body->bytes, body->sha256);
    const auto t1 = clock_type::now();
    if (!measured) continue;
    count_put(run.stats, r, *body, plan.batch, run.api.format());
    if (r.status == 200) run.stats.latency_ns.push_back(std::chrono::nanoseconds(t1 - t0).count());
    run.measure_end = std::max(run.measure_end, t1);
  }
}

asio::awaitable<void> wait_all(bench_run& run, put_plan& plan, int workers) {
  // Each worker is its own coroutine; this one waits for all of them by counting completions.
  int running = workers;
  asio::steady_timer done(run.ex, asio::steady_timer::time_point::max());
  for (int i = 0; i < workers; ++i) {
    asio::co_spawn(run.ex, put_worker(run, plan), [&running, &done](std::exception_ptr e) {
      if (e) std::rethrow_exception(e);
      if (--running == 0) done.cancel();
    });
  }
  while (running > 0) co_await done.async_wait(asio::as_tuple(asio::use_awaitable));
}

}  // namespace

void count_put(run_stats& stats, const http_response& r, const prepared_body& body, bool batch, body_format format) {
  if (r.status == 0) {
    ++stats.request_errors["transport: " + r.transport_error];
    return;
  }
  if (r.status != 200) {
    ++stats.request_errors[error_type_of(r, format)];
    return;
  }
  ++stats.requests;
  int64_t failed = 0;
  if (batch) {
    response_summary s;
    if (!scan_response(r.body, format, s)) {
      ++stats.request_errors["unreadable PutRecords response"];
      return;
    }
    failed = s.failed_record_count;
    for (const auto& [code, n] : s.record_error_codes) stats.record_errors[code] += n;
  }
  const int64_t ok = body.records - failed;
  stats.records += ok;
  stats.bytes += body.records ? body.payload_bytes * ok / body.records : 0;
}

asio::awaitable<void> put_phase(bench_run& run, bool batch, int64_t count, double duration, double warmup) {
  const auto& o = run.opt;
  put_plan plan;
  plan.batch = batch;
  const int per_request = batch ? o.batch : 1;
  int last = 0;
  if (count > 0) {
    plan.total_requests = (count + per_request - 1) / per_request;
    last = static_cast<int>(count % per_request);
  }
  const int pool = static_cast<int>(plan.total_requests > 0 ? std::min<int64_t>(kPoolBodies, plan.total_requests)
                                                            : kPoolBodies);
  put_spec spec{o.stream, per_request, o.payload, o.keys, !batch};
  plan.pool = make_put_bodies(run.api, spec, pool);
  std::vector<prepared_body> tail;
  if (last > 0) {
    tail = make_put_bodies(run.api, spec, 1, last);
    plan.tail = &tail.front();
  }
  plan.duration = std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(duration));
  plan.warmup_end = clock_type::now() + std::chrono::duration_cast<clock_type::duration>(
                                            std::chrono::duration<double>(warmup));
  run.phase = warmup > 0 ? "warmup" : "measure";
  const int workers = static_cast<int>(std::max<int64_t>(1, plan.total_requests > 0
                                                                ? std::min<int64_t>(o.inflight, plan.total_requests)
                                                                : o.inflight));
  co_await wait_all(run, plan, workers);
  if (!run.measuring) run.begin_measuring(clock_type::now());  // nothing was measured: an empty window
  run.end_measuring(std::max(run.measure_end, run.measure_start));
}

asio::awaitable<void> run_put(bench_run& run) {
  const auto& o = run.opt;
  const bool batch = o.kind == workload::put_records;
  auto s = co_await ensure_stream(run.api, o.stream, o.shards, o.create);
  if (!s.error.empty()) {
    run.fatal = s.error;
    co_return;
  }
  co_await put_phase(run, batch, o.count, o.duration, o.warmup);
  run.extra["stream_arn"] = s.arn;
}

}  // namespace eddy::bench
