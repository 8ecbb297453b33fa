#include "eddy/config/config.h"

#include <charconv>
#include <cstdlib>
#include <functional>
#include <optional>
#include <sstream>

namespace eddy::config {
namespace {

// One row per setting: flag name, help text, and how to apply a textual value.
struct option {
  const char* name;
  const char* value_hint;  // nullptr for a boolean switch
  const char* help;
  std::function<std::string(settings&, const std::string&)> apply;  // returns an error or ""
};

template <class Int>
std::function<std::string(settings&, const std::string&)> integer(Int settings::*field, Int lo, Int hi) {
  return [=](settings& s, const std::string& v) -> std::string {
    Int out{};
    const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
    if (ec != std::errc{} || p != v.data() + v.size() || out < lo || out > hi) {
      return "expects an integer from " + std::to_string(lo) + " to " + std::to_string(hi) + ", got '" +
             v + "'";
    }
    s.*field = out;
    return "";
  };
}

std::function<std::string(settings&, const std::string&)> text(std::string settings::*field) {
  return [=](settings& s, const std::string& v) -> std::string {
    if (v.empty()) return "expects a value";
    s.*field = v;
    return "";
  };
}

std::function<std::string(settings&, const std::string&)> boolean(bool settings::*field) {
  return [=](settings& s, const std::string& v) -> std::string {
    if (v == "" || v == "1" || v == "true" || v == "yes" || v == "on") {
      s.*field = true;
    } else if (v == "0" || v == "false" || v == "no" || v == "off") {
      s.*field = false;
    } else {
      return "expects true or false, got '" + v + "'";
    }
    return "";
  };
}

const std::vector<option>& options() {
  static const std::vector<option> opts = {
      {"host", "ADDR", "address to listen on (default 127.0.0.1)", text(&settings::host)},
      {"port", "N", "port for HTTP/1.1 and h2c; 0 picks a free one (default 4567)",
       [](settings& s, const std::string& v) -> std::string {
         int p = 0;
         const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), p);
         if (ec != std::errc{} || ptr != v.data() + v.size() || p < 0 || p > 65535) {
           return "expects a port from 0 to 65535, got '" + v + "'";
         }
         s.port = static_cast<uint16_t>(p);
         return "";
       }},
      {"tls-port", "N", "also serve HTTPS (ALPN h2 and http/1.1) on this port; 0 picks a free one (default off)",
       [](settings& s, const std::string& v) -> std::string {
         int p = 0;
         const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), p);
         if (ec != std::errc{} || ptr != v.data() + v.size() || p < 0 || p > 65535) {
           return "expects a port from 0 to 65535, got '" + v + "'";
         }
         s.tls_port = p;
         return "";
       }},
      {"tls-cert", "PATH", "PEM certificate chain for --tls-port (default: a self-signed one in the data dir)",
       text(&settings::tls_cert)},
      {"tls-key", "PATH", "PEM private key for --tls-cert", text(&settings::tls_key)},
      {"data-dir", "PATH", "where RocksDB keeps streams and records (default ./data)",
       text(&settings::data_dir)},
      {"in-memory", nullptr, "keep everything in memory; nothing survives a restart",
       boolean(&settings::in_memory)},
      {"sync", "MODE",
       "always: a record is acknowledged once fsync'd; none: once written to the OS, which survives kill -9 "
       "but not power loss (default always)",
       [](settings& s, const std::string& v) -> std::string {
         if (v == "always") {
           s.sync_always = true;
         } else if (v == "none") {
           s.sync_always = false;
         } else {
           return "expects always or none, got '" + v + "'";
         }
         return "";
       }},
      {"storage-threads", "N", "threads that write to and read from storage (default 4)",
       integer<int>(&settings::storage_threads, 1, 64)},
      {"retention-check-ms", "MS", "how often records past retention are deleted (default 60000)",
       integer<int64_t>(&settings::retention_check_ms, 10, 86'400'000)},
      {"auth", "MODE",
       "none: check that requests carry a SigV4 signature, as AWS does before verifying it; sigv4: verify "
       "every signature against --credentials-file (default none)",
       [](settings& s, const std::string& v) -> std::string {
         if (v == "none") {
           s.auth_sigv4 = false;
         } else if (v == "sigv4") {
           s.auth_sigv4 = true;
         } else {
           return "expects none or sigv4, got '" + v + "'";
         }
         return "";
       }},
      {"credentials-file", "PATH",
       "for --auth=sigv4: one 'ACCESS_KEY_ID SECRET_ACCESS_KEY ACCOUNT_ID' per line", text(&settings::credentials_file)},
      {"log-level", "LEVEL", "trace, debug, info, warn, error or off (default info)",
       text(&settings::log_level)},
      {"create-stream-ms", "MS", "time a new stream stays CREATING (default 0)",
       integer<int64_t>(&settings::create_stream_ms, 0, 3'600'000)},
      {"delete-stream-ms", "MS", "time a deleted stream stays DELETING (default 0)",
       integer<int64_t>(&settings::delete_stream_ms, 0, 3'600'000)},
      {"update-stream-ms", "MS", "time an updated stream stays UPDATING (default 0)",
       integer<int64_t>(&settings::update_stream_ms, 0, 3'600'000)},
      {"create-consumer-ms", "MS", "time a new stream consumer stays CREATING (default 0)",
       integer<int64_t>(&settings::create_consumer_ms, 0, 3'600'000)},
      {"delete-consumer-ms", "MS", "time a deregistered consumer stays DELETING (default 0)",
       integer<int64_t>(&settings::delete_consumer_ms, 0, 3'600'000)},
      {"subscription-lifetime-ms", "MS", "time after which a SubscribeToShard stream ends (default 300000, AWS's)",
       integer<int64_t>(&settings::subscription_lifetime_ms, 100, 86'400'000)},
      {"on-demand-scale-ms", "MS",
       "sampling period of ON_DEMAND streams' write rates; a shard hot for 3 periods is split (default 1000, 0 off)",
       integer<int64_t>(&settings::on_demand_scale_ms, 0, 3'600'000)},
      {"shard-limit", "N", "open shards allowed per account and region (default 500)",
       integer<int64_t>(&settings::shard_limit, 1, 1'000'000)},
      {"region", "NAME", "region used when a request's signature names none (default us-east-1)",
       text(&settings::region)},
      {"account-id", "ID", "12-digit account for access keys that are not 12 digits (default 000000000000)",
       [](settings& s, const std::string& v) -> std::string {
         if (v.size() != 12 || v.find_first_not_of("0123456789") != std::string::npos) {
           return "expects 12 digits, got '" + v + "'";
         }
         s.account_id = v;
         return "";
       }},
      {"max-body-bytes", "N", "largest request body accepted (default 16777216)",
       integer<uint64_t>(&settings::max_body_bytes, 1024, 1ull << 30)},
      {"max-connections", "N", "open connections allowed at once (default 10000)",
       integer<uint32_t>(&settings::max_connections, 1, 1'000'000)},
      {"threads", "N", "I/O threads; 0 means one per core (default 0)",
       integer<int>(&settings::threads, 0, 256)},
  };
  return opts;
}

std::string env_name(const char* flag) {
  std::string out = "EDDY_";
  for (const char* p = flag; *p; ++p) out.push_back(*p == '-' ? '_' : static_cast<char>(std::toupper(*p)));
  return out;
}

}  // namespace

std::string help_text() {
  std::ostringstream out;
  out << "eddy: a self-hosted broker that speaks the Amazon Kinesis Data Streams API\n\n"
         "Usage: eddy [options]\n\nOptions (each also read from the environment variable shown):\n";
  for (const auto& o : options()) {
    std::string lhs = std::string("  --") + o.name + (o.value_hint ? std::string(" ") + o.value_hint : "");
    out << lhs << std::string(lhs.size() < 28 ? 28 - lhs.size() : 1, ' ') << o.help << "  [" << env_name(o.name)
        << "]\n";
  }
  out << "  --help                    show this text\n\n"
         "On start eddy prints one line to stdout: \"eddy listening on http://HOST:PORT\".\n"
         "SIGTERM or SIGINT stops accepting, finishes requests in flight and exits 0.\n";
  return out.str();
}

outcome parse(int argc, const char* const* argv) {
  outcome r;
  for (const auto& o : options()) {
    const std::string var = env_name(o.name);
    if (const char* v = std::getenv(var.c_str()); v != nullptr) {
      if (auto err = o.apply(r.values, v); !err.empty()) {
        return {r.values, true, 2, "eddy: environment variable " + var + " " + err + "\n"};
      }
    }
  }
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") return {r.values, true, 0, help_text()};
    if (arg.rfind("--", 0) != 0) return {r.values, true, 2, "eddy: unexpected argument '" + arg + "'\n"};
    std::string name = arg.substr(2);
    std::optional<std::string> value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    const option* found = nullptr;
    for (const auto& o : options()) {
      if (name == o.name) found = &o;
    }
    if (!found) return {r.values, true, 2, "eddy: unknown flag --" + name + " (see --help)\n"};
    if (!value) {
      if (found->value_hint == nullptr) {
        value = "";
      } else if (i + 1 < argc) {
        value = argv[++i];
      } else {
        return {r.values, true, 2, "eddy: flag --" + name + " needs a value\n"};
      }
    }
    if (auto err = found->apply(r.values, *value); !err.empty()) {
      return {r.values, true, 2, "eddy: flag --" + name + " " + err + "\n"};
    }
  }
  return r;
}

}  // namespace eddy::config
