#pragma once
// Request bodies encoded before the clock starts, each with its SHA-256, so a request in the measured
// loop costs one signature and the socket writes, nothing else.
//
// Records: the partition key of record i (counted over the whole pool) is "pk-<i mod keys>", which spreads
// writes over the hash ranges as --keys asks; the data is `payload` pseudo-random bytes (fixed seed), so
// compression in a peer's storage does not flatter it.
#include "response_scan.h"

#include <cstdint>
#include <string>
#include <vector>

namespace eddy::bench {

class kinesis_client;

struct prepared_body {
  std::string bytes;
  std::string sha256;          // hex
  int64_t records = 0;
  int64_t payload_bytes = 0;   // data bytes only, as MB/s counts them
};

struct put_spec {
  std::string stream;
  int batch = 500;       // records per PutRecords; 1 with single = true
  int payload = 100;     // bytes of data per record
  int64_t keys = 10000;  // distinct partition keys
  bool single = false;   // PutRecord instead of PutRecords
};

// `count` bodies; body b holds records b*batch .. b*batch+records-1 of the key sequence. `last_batch`, if
// not 0, makes the final body that many records long (a --count that is not a multiple of --batch).
std::vector<prepared_body> make_put_bodies(const kinesis_client& api, const put_spec& spec, int count,
                                           int last_batch = 0);

// One PutRecord whose data starts with `tag` (the subscribe workload finds its records by it).
prepared_body make_tagged_put(const kinesis_client& api, const std::string& stream, const std::string& tag,
                              int payload);

}  // namespace eddy::bench
