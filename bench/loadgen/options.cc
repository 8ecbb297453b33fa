#include "options.h"

#include <charconv>
#include <cstdlib>
#include <random>
#include <string_view>

namespace eddy::bench {
namespace {

template <typename T>
bool number(std::string_view s, T& out) {
  if constexpr (std::is_floating_point_v<T>) {
    char* end = nullptr;
    const std::string copy(s);
    out = static_cast<T>(std::strtod(copy.c_str(), &end));
    return !copy.empty() && *end == '\0' && out >= 0;
  } else {
    const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    return r.ec == std::errc() && r.ptr == s.data() + s.size() && out >= 0;
  }
}

// http://host:port[/] -> host, port. Only plain http: the benchmark measures the broker, not TLS.
bool parse_endpoint(std::string_view url, endpoint_address& out) {
  constexpr std::string_view scheme = "http://";
  if (url.rfind(scheme, 0) != 0) return false;
  url.remove_prefix(scheme.size());
  if (const auto slash = url.find('/'); slash != std::string_view::npos) url = url.substr(0, slash);
  std::string_view host = url, port = "80";
  if (!url.empty() && url.front() == '[') {  // [::1]:4567
    const auto close = url.find(']');
    if (close == std::string_view::npos) return false;
    host = url.substr(1, close - 1);
    if (close + 1 < url.size()) {
      if (url[close + 1] != ':') return false;
      port = url.substr(close + 2);
    }
  } else if (const auto colon = url.rfind(':'); colon != std::string_view::npos) {
    host = url.substr(0, colon);
    port = url.substr(colon + 1);
  }
  if (host.empty() || port.empty()) return false;
  out.host = std::string(host);
  out.port = std::string(port);
  return true;
}

}  // namespace

const char* usage_text() {
  return R"(eddy-bench: a load generator for Kinesis Data Streams endpoints (eddy, kinesalite, kinesis-mock, ...)

usage: eddy-bench WORKLOAD [options]

workloads
  put-records   PutRecords of --batch records of --payload bytes, --inflight calls at a time
  put-record    PutRecord latency: one record per call, --inflight calls at a time (default 1: sequential)
  get-records   fills the stream with --count records (or for --duration), then reads every shard from
                TRIM_HORIZON to the end with GetRecords --limit; reports the read phase
  subscribe     put -> SubscribeToShard event latency: a consumer subscribed over HTTP/2 to one shard at
                LATEST, records put one at a time, each timed from sending the put to its event arriving
  ready         start-up time: polls ListStreams every millisecond until one succeeds, and reports the time
                since --since-ns (default: since eddy-bench started); --duration bounds the wait (60 s)

options
  --endpoint URL        http://HOST:PORT (default http://127.0.0.1:4567)
  --protocol P          http1 (keep-alive, default), h2 (one multiplexed h2c connection),
                        h2-per-call (a new h2c connection per call, like the AWS SDK for JavaScript v3)
  --format F            json (application/x-amz-json-1.1, default) or cbor (application/x-amz-cbor-1.1)
  --stream NAME         stream to use (default: a new eddy-bench-<random> stream)
  --no-create           use --stream as it is: no CreateStream (it must be ACTIVE)
  --delete              delete the stream at the end
  --shards N            shards of the stream it creates (default 4; subscribe 1)
  --batch N             records per PutRecords (default 500)
  --payload BYTES       data bytes per record (default 100)
  --keys N              distinct partition keys (default 10000)
  --inflight N          calls in flight (default: put-records 8, put-record 1, get-records 4 shards at a time)
  --duration SECONDS    how long to measure (default 10)
  --count N             stop after N records (put-record: N calls); with --count, --duration only
                        applies if also given
  --warmup SECONDS      run this long before measuring (default 0)
  --limit N             GetRecords Limit (default 10000)
  --consumer NAME       consumer name for subscribe (default eddy-bench)
  --event-timeout SECONDS  subscribe: how long to wait for one record's event (default 10)
  --since-ns NS         ready: when the server was started, in ns since the epoch (date +%s%N)
  --server-pid PID      report the server's CPU seconds and RSS (from /proc/PID)
  --json FILE           also write the report as JSON
  --label TEXT          a label copied into the report
  --access-key ID, --secret-key KEY, --region R   SigV4 credentials (default AKIDEXAMPLE, us-east-1)
  --quiet               no progress line on stderr
  --help
)";
}

const char* workload_name(workload w) {
  switch (w) {
    case workload::put_records: return "put-records";
    case workload::put_record: return "put-record";
    case workload::get_records: return "get-records";
    case workload::subscribe: return "subscribe";
    case workload::ready: return "ready";
  }
  return "?";
}

const char* protocol_name(protocol p) {
  switch (p) {
    case protocol::http1: return "http1";
    case protocol::h2: return "h2";
    case protocol::h2_per_call: return "h2-per-call";
  }
  return "?";
}

parse_outcome parse_options(int argc, char** argv) {
  parse_outcome out;
  bench_options o;
  auto fail = [&](std::string msg) {
    out.message = "eddy-bench: " + msg + "\n(eddy-bench --help lists the options)";
    out.exit_code = 2;
    return out;
  };
  if (argc < 2) return fail("no workload given");
  bool workload_seen = false, duration_seen = false, shards_seen = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--help" || a == "-h") {
      out.message = usage_text();
      return out;
    }
    if (!a.starts_with("--")) {
      if (workload_seen) return fail("unexpected argument '" + std::string(a) + "'");
      workload_seen = true;
      if (a == "put-records") o.kind = workload::put_records;
      else if (a == "put-record") o.kind = workload::put_record;
      else if (a == "get-records") o.kind = workload::get_records;
      else if (a == "subscribe") o.kind = workload::subscribe;
      else if (a == "ready") o.kind = workload::ready;
      else return fail("unknown workload '" + std::string(a) + "'");
      continue;
    }
    // Flags without a value.
    if (a == "--no-create") { o.create = false; continue; }
    if (a == "--delete") { o.delete_after = true; continue; }
    if (a == "--quiet") { o.progress = false; continue; }
    if (i + 1 >= argc) return fail(std::string(a) + " needs a value");
    const std::string_view v = argv[++i];
    bool ok = true;
    if (a == "--endpoint") { o.endpoint = v; ok = parse_endpoint(v, o.address); }
    else if (a == "--protocol") {
      if (v == "http1") o.proto = protocol::http1;
      else if (v == "h2") o.proto = protocol::h2;
      else if (v == "h2-per-call") o.proto = protocol::h2_per_call;
      else ok = false;
    } else if (a == "--format") {
      if (v == "json") o.format = body_format::json;
      else if (v == "cbor") o.format = body_format::cbor;
      else ok = false;
    }
    else if (a == "--stream") o.stream = v;
    else if (a == "--shards") { ok = number(v, o.shards) && o.shards > 0; shards_seen = true; }
    else if (a == "--batch") ok = number(v, o.batch) && o.batch > 0 && o.batch <= 500;
    else if (a == "--payload") ok = number(v, o.payload) && o.payload > 0;
    else if (a == "--keys") ok = number(v, o.keys) && o.keys > 0;
    else if (a == "--inflight") ok = number(v, o.inflight) && o.inflight > 0;
    else if (a == "--duration") { ok = number(v, o.duration); duration_seen = true; }
    else if (a == "--count") ok = number(v, o.count) && o.count > 0;
    else if (a == "--warmup") ok = number(v, o.warmup);
    else if (a == "--limit") ok = number(v, o.limit) && o.limit > 0;
    else if (a == "--consumer") o.consumer = v;
    else if (a == "--event-timeout") ok = number(v, o.event_timeout) && o.event_timeout > 0;
    else if (a == "--server-pid") ok = number(v, o.server_pid);
    else if (a == "--since-ns") ok = number(v, o.since_ns);
    else if (a == "--json") o.json_path = v;
    else if (a == "--label") o.label = v;
    else if (a == "--access-key") o.access_key = v;
    else if (a == "--secret-key") o.secret_key = v;
    else if (a == "--region") o.region = v;
    else return fail("unknown option " + std::string(a));
    if (!ok) return fail("bad value '" + std::string(v) + "' for " + std::string(a));
  }
  if (!workload_seen) return fail("no workload given");
  if (o.address.host.empty() && !parse_endpoint(o.endpoint, o.address)) return fail("bad --endpoint");
  if (o.count > 0 && !duration_seen) o.duration = 0;
  if (o.kind == workload::ready && !duration_seen) o.duration = 60;
  if (o.count == 0 && o.duration <= 0) return fail("give --duration or --count");
  if (!o.create && o.stream.empty()) return fail("--no-create needs --stream");
  if (o.kind == workload::subscribe && !shards_seen) o.shards = 1;
  if (o.inflight == 0) {
    o.inflight = o.kind == workload::put_records ? 8 : o.kind == workload::get_records ? 4 : 1;
  }
  if (o.stream.empty()) {
    std::random_device rd;
    o.stream = "eddy-bench-" + std::to_string(rd() % 1000000000u);
  }
  out.options = std::move(o);
  return out;
}

}  // namespace eddy::bench
