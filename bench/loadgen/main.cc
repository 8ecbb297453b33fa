// eddy-bench: a native Kinesis load generator. See `eddy-bench --help` and docs/performance.md.
//
// One thread runs one io_context: the workload coroutine, its in-flight calls and a progress line on
// stderr once a second. Exit status: 0 when the run finished without errors, 1 when it finished with
// errors (counted in the report), 2 for bad usage, 3 when the workload could not run at all.
#include "options.h"
#include "report.h"
#include "stream_setup.h"
#include "workloads.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>

namespace eddy::bench {

void bench_run::begin_measuring(clock_type::time_point now) {
  stats.clear();
  measuring = true;
  measure_start = measure_end = now;
  if (phase == "warmup") phase = "measure";
  probe.start();
}

void bench_run::end_measuring(clock_type::time_point now) {
  measuring = false;
  measure_end = now;
  probe.stop();
}

namespace {

// Once a second: the phase, what was done in the last second, totals and errors.
asio::awaitable<void> progress(bench_run& run, asio::steady_timer& t, const bool* finished) {
  const auto started = clock_type::now();
  auto next = started;
  int64_t last_records = 0, last_requests = 0;
  std::string last_phase;
  for (;;) {
    next += std::chrono::seconds(1);
    t.expires_at(next);
    co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
    if (*finished) co_return;
    run.probe.sample();
    if (!run.opt.progress) continue;
    const auto& s = run.stats;
    if (run.phase != last_phase) last_records = last_requests = 0;
    last_phase = run.phase;
    std::fprintf(stderr, "[%4.0fs] %-9s %10lld records/s %8lld calls/s  total %lld records, %lld errors\n",
                 std::chrono::duration<double>(clock_type::now() - started).count(), run.phase.c_str(),
                 static_cast<long long>(s.records - last_records), static_cast<long long>(s.requests - last_requests),
                 static_cast<long long>(s.records), static_cast<long long>(s.errors()));
    last_records = s.records;
    last_requests = s.requests;
  }
}

asio::awaitable<void> run_workload(bench_run& run, asio::steady_timer& ticker, bool* finished) {
  switch (run.opt.kind) {
    case workload::put_records:
    case workload::put_record: co_await run_put(run); break;
    case workload::get_records: co_await run_get_records(run); break;
    case workload::subscribe: co_await run_subscribe(run); break;
    case workload::ready: co_await run_ready(run); break;
  }
  if (run.opt.delete_after) {
    run.phase = "cleanup";
    co_await delete_stream(run.api, run.opt.stream);
  }
  run.phase = "done";
  *finished = true;
  ticker.cancel();  // the progress coroutine ends now, not at its next tick
  run.api.wire().close();
}

}  // namespace
}  // namespace eddy::bench

int main(int argc, char** argv) {
  using namespace eddy::bench;
  std::signal(SIGPIPE, SIG_IGN);
  auto parsed = parse_options(argc, argv);
  if (!parsed.options) {
    (parsed.exit_code ? std::cerr : std::cout) << parsed.message << "\n";
    return parsed.exit_code;
  }
  const bench_options& o = *parsed.options;

  asio::io_context io(1);
  sigv4_signer signer(o.access_key, o.secret_key, o.region, "kinesis");
  auto wire = make_transport(o.proto, io.get_executor(), o.address);
  kinesis_client api(*wire, signer, o.format, o.address.authority());
  server_probe probe(o.server_pid);
  bench_run run(o, io.get_executor(), api, signer, probe);
  bool finished = false;
  asio::steady_timer ticker(io);

  asio::co_spawn(io, run_workload(run, ticker, &finished), [](std::exception_ptr e) {
    if (e) std::rethrow_exception(e);
  });
  asio::co_spawn(io, progress(run, ticker, &finished), asio::detached);
  io.run();

  const auto report = make_report(run);
  std::cout << render_table(report) << std::flush;
  if (!o.json_path.empty()) {
    std::ofstream f(o.json_path);
    f << report.dump(2) << "\n";
    if (!f) {
      std::cerr << "eddy-bench: cannot write " << o.json_path << "\n";
      return 3;
    }
  }
  if (!run.fatal.empty()) {
    std::cerr << "eddy-bench: " << run.fatal << "\n";
    return 3;
  }
  return run.stats.errors() > 0 ? 1 : 0;
}
