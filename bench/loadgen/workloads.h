#pragma once
// The four workloads, each a coroutine on the one io_context, sharing a bench_run: options, the signed
// client on the chosen transport, the counters, the server probe, and which phase the run is in (the
// progress line prints it). A workload leaves its report members in `extra` and any fatal set-up
// failure (stream not creatable, operation not supported by the peer) in `fatal`.
#include "kinesis_client.h"
#include "options.h"
#include "prepared_body.h"
#include "run_stats.h"
#include "server_probe.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <string>

namespace eddy::bench {

struct bench_run {
  bench_run(const bench_options& o, asio::any_io_executor e, kinesis_client& a, sigv4_signer& s, server_probe& p)
      : opt(o), ex(e), api(a), signer(s), probe(p) {}

  const bench_options& opt;
  asio::any_io_executor ex;
  kinesis_client& api;
  sigv4_signer& signer;
  server_probe& probe;

  std::string phase = "setup";
  run_stats stats;
  bool measuring = false;
  clock_type::time_point measure_start{};
  clock_type::time_point measure_end{};
  nlohmann::json extra = nlohmann::json::object();
  std::string fatal;

  void begin_measuring(clock_type::time_point now);
  void end_measuring(clock_type::time_point now);
  double measured_seconds() const { return std::chrono::duration<double>(measure_end - measure_start).count(); }
};

asio::awaitable<void> run_put(bench_run& run);          // put-records and put-record
asio::awaitable<void> run_get_records(bench_run& run);
asio::awaitable<void> run_subscribe(bench_run& run);
asio::awaitable<void> run_ready(bench_run& run);            // start-up: time to the first ListStreams

// Counts one PutRecords/PutRecord answer into `stats`: records and bytes on success (less the records that
// failed inside it, by ErrorCode), else the request's error type.
void count_put(run_stats& stats, const http_response& r, const prepared_body& body, bool batch, body_format format);

// Puts (--batch, --inflight, --keys, --payload) until --count records or --duration seconds are measured,
// after --warmup. put-records, put-record and the fill of get-records share it.
asio::awaitable<void> put_phase(bench_run& run, bool batch, int64_t count, double duration, double warmup);

}  // namespace eddy::bench
