#pragma once
// Reads the few members the load generator needs out of a Kinesis response body, JSON or CBOR, without
// building a document tree. Why: a GetRecords answer of 10,000 records is about 2 MB; building it as an
// nlohmann tree costs tens of milliseconds, which on a 2-core machine would measure the client instead of
// the server. This walks the bytes once, keeps no copies of record data, and validates only as far as it
// must to stay in step (well-formedness is the server tests' job, not the benchmark's).
//
// What is picked up (paths from the top-level object):
//   __type, message | Message        error bodies (the type loses any "namespace#" prefix and ":suffix")
//   FailedRecordCount                PutRecords
//   Records[]                        counted; Records[].ErrorCode counted by value; Records[].Data summed
//                                    in decoded bytes (base64 length in JSON, byte-string length in CBOR)
//   NextShardIterator, ShardIterator GetRecords / GetShardIterator (null is remembered as null)
//   MillisBehindLatest, ChildShards[] GetRecords
//   SequenceNumber, ShardId          PutRecord
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace eddy::bench {

enum class body_format { json, cbor };

struct response_summary {
  std::string error_type;
  std::string message;
  int64_t failed_record_count = 0;
  int64_t records = 0;
  int64_t data_bytes = 0;
  std::map<std::string, int64_t, std::less<>> record_error_codes;
  std::optional<std::string> next_shard_iterator;  // nullopt: absent or null
  bool next_shard_iterator_null = false;
  std::string shard_iterator;
  int64_t millis_behind_latest = -1;
  int64_t child_shards = 0;
  std::string sequence_number;
  std::string shard_id;
};

// False when the bytes could not be walked (truncated or not this format); `out` then holds what was read.
bool scan_response(std::string_view body, body_format format, response_summary& out);

// "com.amazon.coral.service#ResourceNotFoundException:http://..." -> "ResourceNotFoundException".
std::string short_error_type(std::string_view t);

}  // namespace eddy::bench
