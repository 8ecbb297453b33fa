#pragma once
// A list of Kinesis Record structures packed into one document value, so that a 10,000-record GetRecords
// answer or a SubscribeToShard event is one buffer instead of some 60,000 tree nodes and strings (perf put
// malloc, free and memmove at 45 % of a GetRecords drain). Both codecs write it as the array of Record
// objects the wire expects, byte for byte what the same records as ordinary documents would give.
//
// It is a binary document value with subtype 2 (document.h). The buffer never leaves the process, so
// integers are in host byte order:
//
//   +--------+-----------+------------------------------------------------------------------+
//   | u32    | u8 flags  | record 0 | record 1 | ...                                          |
//   | count  | bit0: KMS |                                                                  |
//   +--------+-----------+------------------------------------------------------------------+
//   record: | u8 seq_len | seq bytes | i64 arrival_ms | u32 key_len | key | u32 data_len | data |
//
// With the KMS flag every record carries "EncryptionType": "KMS".
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "eddy/codec/document.h"

namespace eddy::codec {

inline constexpr std::uint8_t record_list_subtype = 2;

class record_list_builder {
 public:
  record_list_builder(bool kms, size_t expected_bytes);
  void add(std::string_view sequence_number, std::int64_t arrival_ms, std::string_view partition_key,
           std::string_view data);
  size_t size() const { return count_; }
  document finish() &&;

 private:
  std::vector<std::uint8_t> buf_;
  std::uint32_t count_ = 0;
};

struct record_view {
  std::string_view sequence_number;
  std::int64_t arrival_ms;
  std::string_view partition_key;
  std::string_view data;
};

bool is_record_list(const document& d);

struct record_list_view {
  bool kms = false;
  std::vector<record_view> records;
};
// requires is_record_list(d); the views point into d.
record_list_view read_record_list(const document& d);

}  // namespace eddy::codec
