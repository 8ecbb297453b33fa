#pragma once
// A chunk: the records of one group commit to one shard, stored as one log entry. All its records share
// one arrival time, and their positions are first_position, first_position + 1, ...
//
//   header (16 bytes)
//   +---------+---------+----------------+----------------------+-------------------------+
//   | ver u8  | flags u8| reserved u16   | record count u32 BE  | arrival ms i64 BE       |
//   +---------+---------+----------------+----------------------+-------------------------+
//   then per record
//   +---------------------+------------------+----------------------+------------------+
//   | partition key len   | data len u32 BE  | partition key (UTF-8)| data (opaque)    |
//   | u16 BE              |                  |                      |                  |
//   +---------------------+------------------+----------------------+------------------+
//
// Data is kept byte for byte: KPL aggregates and any binary payload come back exactly as written.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace eddy::storage {

inline constexpr uint8_t chunk_version = 1;
inline constexpr size_t chunk_header_size = 16;
inline constexpr size_t chunk_record_overhead = 6;

struct record_view {
  std::string_view partition_key;
  std::string_view data;
};

class chunk_writer {
 public:
  explicit chunk_writer(int64_t arrival_ms, size_t reserve_bytes = 0);
  void add(std::string_view partition_key, std::string_view data);
  uint32_t count() const { return count_; }
  // The encoded chunk; the writer is spent afterwards.
  std::string finish();

 private:
  std::string buf_;
  uint32_t count_ = 0;
};

struct chunk_header {
  uint32_t count;
  int64_t arrival_ms;
};

// Reads a chunk; nullopt when the bytes are not a well-formed chunk.
std::optional<chunk_header> read_chunk_header(std::string_view chunk);
// Every record of a well-formed chunk, in position order; nullopt when malformed.
std::optional<std::vector<record_view>> decode_chunk(std::string_view chunk);

}  // namespace eddy::storage
