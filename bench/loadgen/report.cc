#include "report.h"

#include <cmath>
#include <cstdio>
#include <sstream>

namespace eddy::bench {
namespace {

using nlohmann::json;

double round2(double v) { return std::round(v * 100) / 100; }

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

// 1234567 -> "1,234,567"
std::string grouped(double v) {
  std::string digits = fmt("%.0f", v);
  std::string out;
  const size_t start = digits[0] == '-' ? 1 : 0;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > start && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

std::string latency_cell(const json& l) {
  if (!l.is_object() || l.value("count", 0) == 0) return "-";
  return fmt("p50 %.3f", l["p50"].get<double>()) + fmt(" · p90 %.3f", l["p90"].get<double>()) +
         fmt(" · p99 %.3f", l["p99"].get<double>()) + fmt(" · max %.3f ms", l["max"].get<double>());
}

std::string errors_cell(const json& e) {
  std::string out;
  for (const char* unit : {"requests", "records"}) {
    for (const auto& [type, n] : e[unit].items()) {
      out += (out.empty() ? "" : "; ") + type + ": " + grouped(n.get<double>()) + " " + unit;
    }
  }
  return out.empty() ? "none" : out;
}

}  // namespace

json make_report(bench_run& run) {
  const auto& o = run.opt;
  auto& st = run.stats;
  const double secs = run.measured_seconds();
  json r = {
      {"tool", "eddy-bench"},
      {"workload", workload_name(o.kind)},
      {"label", o.label},
      {"endpoint", o.endpoint},
      {"protocol", protocol_name(o.proto)},
      {"format", o.format == body_format::json ? "json" : "cbor"},
      {"stream", o.stream},
      {"shards", o.shards},
      {"batch", o.kind == workload::put_records || o.kind == workload::get_records ? o.batch : 1},
      {"payload_bytes", o.payload},
      {"keys", o.keys},
      {"inflight", o.inflight},
      {"warmup_s", o.warmup},
      {"ok", run.fatal.empty()},
      {"fatal", run.fatal},
      {"seconds", round2(secs)},
      {"requests", st.requests},
      {"records", st.records},
      {"bytes", st.bytes},
      {"requests_per_s", secs > 0 ? round2(static_cast<double>(st.requests) / secs) : 0.0},
      {"records_per_s", secs > 0 ? std::round(static_cast<double>(st.records) / secs) : 0.0},
      {"mb_per_s", secs > 0 ? round2(static_cast<double>(st.bytes) / secs / 1e6) : 0.0},
      {"latency_ms", summarize(st.latency_ns).to_json()},
      {"errors", {{"total", st.errors()}, {"requests", st.request_errors}, {"records", st.record_errors}}},
      {"server", run.probe.to_json()},
  };
  if (o.kind == workload::get_records) r["limit"] = o.limit;
  for (const auto& [k, v] : run.extra.items()) r[k] = v;
  return r;
}

std::string render_table(const json& r) {
  std::ostringstream out;
  const std::string what = r["workload"].get<std::string>();
  out << "eddy-bench " << what << " against " << r["endpoint"].get<std::string>() << " ("
      << r["protocol"].get<std::string>() << ", " << r["format"].get<std::string>() << ")\n\n";
  out << "| figure | value |\n|---|---|\n";
  auto row = [&](const std::string& k, const std::string& v) { out << "| " << k << " | " << v << " |\n"; };
  if (what == "ready") {
    if (!r["fatal"].get<std::string>().empty()) row("**failed**", r["fatal"].get<std::string>());
    else row("first ListStreams after", fmt("%.1f ms", r["ready_ms"].get<double>()) + " (" +
                                            grouped(r["attempts"].get<double>()) + " attempts)");
    return out.str();
  }
  row("stream", r["stream"].get<std::string>() + " (" + std::to_string(r["shards"].get<int>()) + " shards)");
  if (what == "put-records" || what == "get-records") {
    row("load", std::to_string(r["batch"].get<int>()) + " records × " + std::to_string(r["payload_bytes"].get<int>()) +
                    " B per call, " + std::to_string(r["inflight"].get<int>()) + " in flight, " +
                    grouped(r["keys"].get<double>()) + " keys");
  } else {
    row("load", std::to_string(r["payload_bytes"].get<int>()) + " B records, " +
                    std::to_string(r["inflight"].get<int>()) + " in flight");
  }
  if (!r["fatal"].get<std::string>().empty()) row("**failed**", r["fatal"].get<std::string>());
  if (r.contains("fill")) {
    const auto& f = r["fill"];
    row("fill (not measured)", grouped(f["records"].get<double>()) + " records in " + fmt("%.2f s", f["seconds"].get<double>()) +
                                   " (" + grouped(f["records_per_s"].get<double>()) + " records/s)");
  }
  row("measured", fmt("%.2f s", r["seconds"].get<double>()));
  row("requests", grouped(r["requests"].get<double>()) + " (" + grouped(r["requests_per_s"].get<double>()) + "/s)");
  row("records", grouped(r["records"].get<double>()) + " (" + grouped(r["records_per_s"].get<double>()) + " records/s)");
  row("throughput", fmt("%.2f MB/s", r["mb_per_s"].get<double>()));
  const char* lat = what == "subscribe" ? "put → event latency" : what == "get-records" ? "GetRecords latency" : "call latency";
  row(lat, latency_cell(r["latency_ms"]));
  if (r.contains("ack_latency_ms")) row("put → ack latency", latency_cell(r["ack_latency_ms"]));
  row("errors", errors_cell(r["errors"]));
  if (r["server"].is_object()) {
    const auto& s = r["server"];
    row("server CPU", fmt("%.2f s", s["cpu_s"].get<double>()) +
                          (r["seconds"].get<double>() > 0
                               ? fmt(" (%.0f %% of one core)", 100 * s["cpu_s"].get<double>() / r["seconds"].get<double>())
                               : ""));
    row("server RSS", fmt("start %.1f MiB", s["rss_start_mib"].get<double>()) +
                          fmt(" · max sampled %.1f MiB", s["rss_max_sampled_mib"].get<double>()) +
                          fmt(" · peak (VmHWM) %.1f MiB", s["peak_rss_mib"].get<double>()));
  }
  return out.str();
}

}  // namespace eddy::bench
