#include "option_table.h"

#include <algorithm>
#include <charconv>
#include <cstdint>

#include "eddy/base/log.h"
#include "init_specs.h"

namespace eddy::config {
namespace {

using applier = std::function<std::string(settings&, const std::string&)>;

template <class Int>
applier integer(Int settings::*field, Int lo, Int hi) {
  return [=](settings& s, const std::string& v) -> std::string {
    Int out{};
    const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
    if (ec != std::errc{} || p != v.data() + v.size() || out < lo || out > hi) {
      return "expects an integer from " + std::to_string(lo) + " to " + std::to_string(hi) + ", got '" + v + "'";
    }
    s.*field = out;
    return "";
  };
}

template <class Port>
applier port(Port settings::*field) {
  return [=](settings& s, const std::string& v) -> std::string {
    int p = 0;
    const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), p);
    if (ec != std::errc{} || ptr != v.data() + v.size() || p < 0 || p > 65535) {
      return "expects a port from 0 to 65535, got '" + v + "'";
    }
    s.*field = static_cast<Port>(p);
    return "";
  };
}

applier text(std::string settings::*field) {
  return [=](settings& s, const std::string& v) -> std::string {
    if (v.empty()) return "expects a value";
    s.*field = v;
    return "";
  };
}

// A setting whose empty value means "none" (--ready-file "" switches it off again).
applier optional_text(std::string settings::*field) {
  return [=](settings& s, const std::string& v) -> std::string {
    s.*field = v;
    return "";
  };
}

applier boolean(bool settings::*field) {
  return [=](settings& s, const std::string& v) -> std::string {
    const auto on = parse_switch(v);
    if (!on) return "expects true or false, got '" + v + "'";
    s.*field = *on;
    return "";
  };
}

// One of two words: `a` sets the boolean to `a_means`, `b` to the opposite.
applier choice(bool settings::*field, const char* a, bool a_means, const char* b) {
  return [=](settings& s, const std::string& v) -> std::string {
    if (v == a) {
      s.*field = a_means;
    } else if (v == b) {
      s.*field = !a_means;
    } else {
      return std::string("expects ") + a + " or " + b + ", got '" + v + "'";
    }
    return "";
  };
}

// "a, b,c" -> {"a", "b", "c"}; an empty text is an empty list.
std::vector<std::string> split_list(const std::string& v) {
  std::vector<std::string> out;
  size_t at = 0;
  while (at <= v.size() && !v.empty()) {
    const size_t comma = std::min(v.find(',', at), v.size());
    std::string word = v.substr(at, comma - at);
    while (!word.empty() && word.front() == ' ') word.erase(0, 1);
    while (!word.empty() && word.back() == ' ') word.pop_back();
    out.push_back(std::move(word));
    at = comma + 1;
  }
  return out;
}

}  // namespace

const std::vector<option>& options() {
  static const std::vector<option> opts = {
      {"config", "PATH", "", "read settings from this YAML file first (keys are these flags' names)",
       optional_text(&settings::config_file), sources::flag_and_env},
      {"host", "ADDR", "127.0.0.1", "address to listen on; 0.0.0.0 for every interface", text(&settings::host)},
      {"port", "N", "4567", "port for HTTP/1.1 and h2c; 0 picks a free one", port(&settings::port)},
      {"tls-port", "N", "-1", "also serve HTTPS (ALPN h2 and http/1.1) on this port; 0 picks a free one, -1 none",
       [](settings& s, const std::string& v) -> std::string {
         if (v == "-1") {
           s.tls_port = -1;
           return "";
         }
         return port(&settings::tls_port)(s, v);
       }},
      {"tls-cert", "PATH", "", "PEM certificate chain for --tls-port (unset: a self-signed one in the data dir)",
       optional_text(&settings::tls_cert)},
      {"tls-key", "PATH", "", "PEM private key for --tls-cert", optional_text(&settings::tls_key)},
      {"data-dir", "PATH", "./data", "where RocksDB keeps streams and records", text(&settings::data_dir)},
      {"in-memory", nullptr, "false", "keep everything in memory; nothing survives a restart",
       boolean(&settings::in_memory)},
      {"sync", "MODE", "always",
       "always: a record is acknowledged once fsync'd; none: once written to the OS, which survives kill -9 "
       "but not power loss",
       choice(&settings::sync_always, "always", true, "none")},
      {"storage-threads", "N", "4", "threads that write to and read from storage",
       integer<int>(&settings::storage_threads, 1, 64)},
      {"retention-check-ms", "MS", "60000", "how often records past retention are deleted",
       integer<int64_t>(&settings::retention_check_ms, 10, 86'400'000)},
      {"auth", "MODE", "none",
       "none: check that requests carry a SigV4 signature, as AWS does before verifying it; sigv4: verify "
       "every signature against --credentials-file",
       choice(&settings::auth_sigv4, "none", false, "sigv4")},
      {"credentials-file", "PATH", "",
       "for --auth=sigv4: one 'ACCESS_KEY_ID SECRET_ACCESS_KEY ACCOUNT_ID' per line",
       optional_text(&settings::credentials_file)},
      {"init-streams", "SPEC", "",
       "streams to create at start if missing, before the port reports ready: "
       "name[:shards[:provisioned|on-demand]],... in the --account-id and --region",
       [](settings& s, const std::string& v) -> std::string {
         auto parsed = parse_init_streams(v);
         if (!parsed) return parsed.error();
         s.init_streams = std::move(parsed).value();
         return "";
       }},
      {"init-consumers", "SPEC", "", "stream consumers to register at start if missing: stream:consumer,...",
       [](settings& s, const std::string& v) -> std::string {
         auto parsed = parse_init_consumers(v);
         if (!parsed) return parsed.error();
         s.init_consumers = std::move(parsed).value();
         return "";
       }},
      {"ready-file", "PATH", "",
       "once ready, write the endpoint URLs here (one per line, written whole); removed at a clean exit",
       optional_text(&settings::ready_file)},
      {"log-level", "LEVEL", "info", "trace, debug (adds a line per request), info, warn, error or off",
       [](settings& s, const std::string& v) -> std::string {
         if (!log::valid_level(v)) return "expects trace, debug, info, warn, error or off, got '" + v + "'";
         s.log_level = v;
         return "";
       }},
      {"log-format", "FORMAT", "text", "text, or json for one JSON object per line",
       choice(&settings::log_json, "text", false, "json")},
      {"create-stream-ms", "MS", "0", "time a new stream stays CREATING",
       integer<int64_t>(&settings::create_stream_ms, 0, 3'600'000)},
      {"delete-stream-ms", "MS", "0", "time a deleted stream stays DELETING",
       integer<int64_t>(&settings::delete_stream_ms, 0, 3'600'000)},
      {"update-stream-ms", "MS", "0", "time an updated stream stays UPDATING",
       integer<int64_t>(&settings::update_stream_ms, 0, 3'600'000)},
      {"create-consumer-ms", "MS", "0", "time a new stream consumer stays CREATING",
       integer<int64_t>(&settings::create_consumer_ms, 0, 3'600'000)},
      {"delete-consumer-ms", "MS", "0", "time a deregistered consumer stays DELETING",
       integer<int64_t>(&settings::delete_consumer_ms, 0, 3'600'000)},
      {"subscription-lifetime-ms", "MS", "300000", "time after which a SubscribeToShard stream ends (AWS's 5 min)",
       integer<int64_t>(&settings::subscription_lifetime_ms, 100, 86'400'000)},
      {"on-demand-scale-ms", "MS", "1000",
       "sampling period of ON_DEMAND streams' write rates; a shard hot for 3 periods is split (0: never)",
       integer<int64_t>(&settings::on_demand_scale_ms, 0, 3'600'000)},
      {"shard-limit", "N", "500", "open shards allowed per account and region",
       integer<int64_t>(&settings::shard_limit, 1, 1'000'000)},
      {"region", "NAME", "us-east-1", "region used when a request's signature names none", text(&settings::region)},
      {"account-id", "ID", "000000000000", "12-digit account for access keys that are not 12 digits",
       [](settings& s, const std::string& v) -> std::string {
         if (v.size() != 12 || v.find_first_not_of("0123456789") != std::string::npos) {
           return "expects 12 digits, got '" + v + "'";
         }
         s.account_id = v;
         return "";
       }},
      {"max-body-bytes", "N", "16777216", "largest request body accepted",
       integer<uint64_t>(&settings::max_body_bytes, 1024, 1ull << 30)},
      {"max-connections", "N", "10000", "open connections allowed at once",
       integer<uint32_t>(&settings::max_connections, 1, 1'000'000)},
      {"max-header-bytes", "N", "65536", "largest header block of one request (431, or an HTTP/2 stream reset)",
       integer<uint32_t>(&settings::max_header_bytes, 1024, 16u << 20)},
      {"max-header-count", "N", "100", "most header fields in one request",
       integer<uint32_t>(&settings::max_header_count, 8, 100'000)},
      {"max-h2-streams", "N", "128", "concurrent streams per HTTP/2 connection (SETTINGS_MAX_CONCURRENT_STREAMS)",
       integer<uint32_t>(&settings::max_h2_streams, 1, 1'000'000)},
      {"idle-timeout-ms", "MS", "120000", "a connection with no request in progress is closed after this",
       integer<int64_t>(&settings::idle_timeout_ms, 100, 86'400'000)},
      {"request-timeout-ms", "MS", "60000",
       "a request must arrive whole within this of its first byte, or the connection (HTTP/2: stream) is dropped",
       integer<int64_t>(&settings::request_timeout_ms, 100, 86'400'000)},
      {"max-shard-queue-bytes", "N", "67108864",
       "records waiting for one shard's next write; more is refused as ProvisionedThroughputExceededException",
       integer<uint64_t>(&settings::max_shard_queue_bytes, 1ull << 20, 1ull << 40)},
      {"threads", "N", "0", "I/O threads; 0 means one per core", integer<int>(&settings::threads, 0, 256)},
      {"console", "MODE", "loopback",
       "the web console at /console: loopback (only to peers on 127.0.0.0/8 and ::1), on (to every peer), "
       "or off (docs/console.md)",
       [](settings& s, const std::string& v) -> std::string {
         if (v == "loopback") {
           s.console = console_mode::loopback;
         } else if (v == "on") {
           s.console = console_mode::on;
         } else if (v == "off") {
           s.console = console_mode::off;
         } else {
           return "expects loopback, on or off, got '" + v + "'";
         }
         return "";
       }},
      {"enforce-limits", nullptr, "false",
       "refuse what AWS would: per shard 1 MiB/s or 1000 records/s in, 2 MiB/s and 5 GetRecords/s out; "
       "control-plane calls per second (docs/limits.md)",
       boolean(&settings::enforce_limits)},
      {"fault-rate", "P", "0",
       "chance from 0 to 1 that a call of --fault-ops gets an injected error of --fault-types (docs/faults.md)",
       [](settings& s, const std::string& v) -> std::string {
         double p = -1;
         const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), p);
         if (ec != std::errc{} || end != v.data() + v.size() || !(p >= 0 && p <= 1)) {
           return "expects a number from 0 to 1, got '" + v + "'";
         }
         s.fault_rate = p;
         return "";
       }},
      {"fault-types", "LIST", "internal,unavailable,throttle",
       "errors --fault-rate injects: internal (500 InternalFailure), unavailable (503 ServiceUnavailable), "
       "throttle (ProvisionedThroughputExceededException or LimitExceededException, per record in PutRecords)",
       [](settings& s, const std::string& v) -> std::string {
         uint8_t kinds = 0;
         for (const auto& word : split_list(v)) {
           if (word == "internal") {
             kinds |= fault_internal;
           } else if (word == "unavailable") {
             kinds |= fault_unavailable;
           } else if (word == "throttle") {
             kinds |= fault_throttle;
           } else {
             return "expects internal, unavailable or throttle, comma-separated, got '" + word + "'";
           }
         }
         if (kinds == 0) return "expects at least one of internal, unavailable, throttle";
         s.fault_types = kinds;
         return "";
       }},
      {"fault-ops", "LIST", "",
       "operations that get injected faults and --latency, e.g. PutRecords,GetRecords (unset: every one)",
       [](settings& s, const std::string& v) -> std::string {
         s.fault_ops = split_list(v);
         for (const auto& op : s.fault_ops) {
           if (op.empty() || op.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") !=
                                 std::string::npos) {
             return "expects operation names such as PutRecords, comma-separated, got '" + op + "'";
           }
         }
         return "";
       }},
      {"fault-seed", "N", "0", "seed of the fault and latency draws, so a run can be repeated (0: drawn at start and logged)",
       integer<uint64_t>(&settings::fault_seed, 0, UINT64_MAX)},
      {"latency", "MS[-MS]", "0", "time added before each call of --fault-ops: fixed, or uniform in a range",
       [](settings& s, const std::string& v) -> std::string {
         const auto dash = v.find('-');
         int64_t lo = -1;
         int64_t hi = -1;
         const auto read = [](std::string_view t, int64_t& out) {
           const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), out);
           return ec == std::errc{} && end == t.data() + t.size() && !t.empty();
         };
         const std::string_view text(v);
         const bool ok = dash == std::string::npos ? read(text, lo) && read(text, hi)
                                                   : read(text.substr(0, dash), lo) && read(text.substr(dash + 1), hi);
         if (!ok || lo < 0 || hi < lo || hi > 600'000) {
           return "expects milliseconds (0 to 600000) or a range MIN-MAX, got '" + v + "'";
         }
         s.latency_min_ms = lo;
         s.latency_max_ms = hi;
         return "";
       }},
  };
  return opts;
}

std::optional<bool> parse_switch(const std::string& v) {
  if (v == "" || v == "1" || v == "true" || v == "yes" || v == "on") return true;
  if (v == "0" || v == "false" || v == "no" || v == "off") return false;
  return std::nullopt;
}

const option* find_option(const std::string& name) {
  for (const auto& o : options()) {
    if (name == o.name) return &o;
  }
  return nullptr;
}

std::string env_name(const char* flag) {
  std::string out = "EDDY_";
  for (const char* p = flag; *p; ++p) out.push_back(*p == '-' ? '_' : static_cast<char>(std::toupper(*p)));
  return out;
}

}  // namespace eddy::config
