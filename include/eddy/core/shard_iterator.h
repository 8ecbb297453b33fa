#pragma once
// Shard iterators: opaque to clients, tamper-evident, valid for 300 s, and still valid after a restart
// (the MAC key is kept in storage).
//
//   +--------+--------------+-----------+---------------+---------------+--------------+
//   | ver u8 | stream uid   | shard u32 | position u64  | issued ms i64 | account (12) |
//   |  (=1)  | u64          |           |               |               |              |
//   +--------+--------------+-----------+---------------+---------------+--------------+
//   +-----------+---------+-----------+---------+----------------------------------------+
//   | region    | region  | name      | name    | MAC: first 16 bytes of                 |
//   | len u8    |         | len u8    |         | HMAC-SHA256(key, all preceding bytes)  |
//   +-----------+---------+-----------+---------+----------------------------------------+
//   all integers big-endian; the whole is standard base64 (at most 300 characters).
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "eddy/core/shard_id.h"
#include "eddy/core/stream_meta.h"

namespace eddy::core {

inline constexpr int64_t iterator_lifetime_ms = 300'000;

struct iterator_state {
  uint64_t stream_uid = 0;
  shard_index shard;
  uint64_t position = 0;
  int64_t issued_ms = 0;
  stream_scope scope;
  std::string stream_name;
};

// Thread safety: immutable after construction; safe from any thread.
class iterator_codec {
 public:
  explicit iterator_codec(std::array<uint8_t, 32> key) : key_(key) {}

  std::string encode(const iterator_state& s) const;
  // nullopt when the text is not an iterator this key issued (malformed or tampered with).
  std::optional<iterator_state> decode(std::string_view text) const;

 private:
  std::array<uint8_t, 32> key_;
};

// "Thu Jan 22 01:22:02 UTC 2015", the form AWS's expiry message uses.
std::string amz_utc_string(int64_t epoch_ms);

}  // namespace eddy::core
