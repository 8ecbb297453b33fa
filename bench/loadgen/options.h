#pragma once
// eddy-bench's command line. `eddy-bench --help` prints usage_text().
#include "response_scan.h"
#include "transport.h"

#include <cstdint>
#include <optional>
#include <string>

namespace eddy::bench {

enum class workload { put_records, put_record, get_records, subscribe, ready };

struct bench_options {
  workload kind = workload::put_records;
  std::string endpoint = "http://127.0.0.1:4567";
  endpoint_address address;
  protocol proto = protocol::http1;
  body_format format = body_format::json;
  std::string stream;        // default: eddy-bench-<random>
  bool create = true;
  bool delete_after = false;
  int shards = 4;            // subscribe: 1
  int batch = 500;
  int payload = 100;
  int64_t keys = 10000;
  int inflight = 0;          // 0: the workload's default (put-records 8, put-record 1, get-records 4)
  double duration = 10;      // seconds; 0 with --count: until the count is reached
  int64_t count = 0;         // records (put-records, get-records fill, subscribe) or calls (put-record)
  double warmup = 0;
  int limit = 10000;         // GetRecords Limit
  double event_timeout = 10; // subscribe: seconds to wait for one record's event
  std::string consumer = "eddy-bench";
  int64_t since_ns = 0;      // ready: wall-clock ns since the epoch when the server was started
  int server_pid = 0;
  std::string json_path;
  std::string label;
  std::string access_key = "AKIDEXAMPLE";
  std::string secret_key = "eddy-bench-secret";
  std::string region = "us-east-1";
  bool progress = true;
};

struct parse_outcome {
  std::optional<bench_options> options;  // nullopt: print `message` and exit with `exit_code`
  std::string message;
  int exit_code = 0;
};

parse_outcome parse_options(int argc, char** argv);
const char* usage_text();
const char* workload_name(workload w);
const char* protocol_name(protocol p);

}  // namespace eddy::bench
