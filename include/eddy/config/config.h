#pragma once
// The broker's settings: defaults, overridden by a YAML file, by EDDY_* environment variables, by flags.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "eddy/base/result.h"

namespace eddy::config {

// One stream of --init-streams: "name[:shards[:provisioned|on-demand]]".
struct init_stream {
  std::string name;
  std::optional<int64_t> shards;  // unset: 1, or AWS's 4 for an on-demand stream
  bool on_demand = false;
  bool operator==(const init_stream&) const = default;
};

// One consumer of --init-consumers: "stream:consumer".
struct init_consumer {
  std::string stream;
  std::string name;
  bool operator==(const init_consumer&) const = default;
};

// Kinds of error --fault-types may inject (a bit set).
enum fault_kind : uint8_t { fault_internal = 1, fault_unavailable = 2, fault_throttle = 4 };

// Who GET /console is served to (--console): peers on 127.0.0.0/8 or ::1, everyone, or no one.
enum class console_mode : uint8_t { loopback, on, off };

struct settings {
  std::string host = "127.0.0.1";
  uint16_t port = 4567;
  int tls_port = -1;  // -1: no TLS listener; 0: a free port
  std::string tls_cert;
  std::string tls_key;
  std::string data_dir = "./data";
  bool in_memory = false;
  bool auth_sigv4 = false;       // --auth=sigv4: verify signatures against credentials_file
  std::string credentials_file;
  bool sync_always = true;  // --sync=always: acknowledged means fsync'd; none: handed to the OS
  int storage_threads = 4;
  int64_t retention_check_ms = 60'000;  // how often expired records are deleted
  std::string log_level = "info";
  int64_t create_stream_ms = 0;  // CREATING -> ACTIVE
  int64_t delete_stream_ms = 0;  // DELETING -> gone
  int64_t update_stream_ms = 0;  // UPDATING -> ACTIVE
  int64_t create_consumer_ms = 0;  // consumer CREATING -> ACTIVE
  int64_t delete_consumer_ms = 0;  // consumer DELETING -> gone
  int64_t subscription_lifetime_ms = 300'000;  // a SubscribeToShard stream ends after this, as AWS's do
  int64_t on_demand_scale_ms = 1000;  // how often ON_DEMAND streams' write rates are sampled; 0: never scale
  int64_t shard_limit = 500;     // open shards per account and region, as AWS's larger regions
  std::string region = "us-east-1";
  std::string account_id = "000000000000";
  uint64_t max_body_bytes = 16ull << 20;  // room for 10 MiB records in base64 JSON
  uint32_t max_connections = 10000;
  uint32_t max_header_bytes = 64 * 1024;  // one request's header block
  uint32_t max_header_count = 100;
  uint32_t max_h2_streams = 128;         // concurrent streams per HTTP/2 connection
  int64_t idle_timeout_ms = 120'000;     // a connection with no request in progress is closed
  int64_t request_timeout_ms = 60'000;   // a request must arrive whole within this of its first byte
  uint64_t max_shard_queue_bytes = 64ull << 20;  // records waiting for one shard's next group commit
  int threads = 0;  // 0 = one per core
  std::vector<init_stream> init_streams;      // created, ACTIVE at once, before the port reports ready
  std::vector<init_consumer> init_consumers;  // registered after init_streams
  std::string ready_file;                     // written with the endpoints once ready; removed at exit
  bool log_json = false;                      // --log-format=json: one JSON object per line
  bool enforce_limits = false;                // AWS's per-shard and control-plane rate limits
  double fault_rate = 0;                      // chance that a call gets an injected error (0: never)
  uint8_t fault_types = fault_internal | fault_unavailable | fault_throttle;
  std::vector<std::string> fault_ops;         // operations faults and latency apply to; empty: every one
  uint64_t fault_seed = 0;                    // 0: a seed drawn at start (and logged)
  int64_t latency_min_ms = 0;                 // added before each call of fault_ops: uniform in [min, max]
  int64_t latency_max_ms = 0;
  console_mode console = console_mode::loopback;  // the web console at /console (docs/console.md)
  std::string config_file;                    // the YAML file the values were read from, if any

  bool operator==(const settings&) const = default;
};

// What parsing decided: run with the settings, or print text and exit with a code.
struct outcome {
  settings values;
  bool exit_now = false;
  int exit_code = 0;
  std::string text;  // help, or the error naming the bad flag or variable
};

// Settings from, in rising precedence: defaults, the YAML file named by --config or EDDY_CONFIG, the
// EDDY_<FLAG> environment variables (EDDY_PORT, EDDY_IN_MEMORY...), and the flags. Every value is checked
// at once, and an error names the flag, variable or file key (with its line) that holds the bad value.
// `env` looks a variable up; the default reads the process environment.
using env_lookup = std::function<const char*(const char* name)>;
outcome parse(int argc, const char* const* argv, const env_lookup& env = {});

std::string help_text();

// The option table as a Markdown reference (docs/configuration.md is this text).
std::string reference_markdown();

}  // namespace eddy::config
