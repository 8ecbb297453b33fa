#pragma once
// Key layouts of the three column families. Keys compare bytewise, and every number is fixed-width
// big-endian, so byte order is log order and a prefix scan or range delete covers exactly one shard.
//
// meta: text keys
//   "stream/" account(12) "/" region "/" name      -> stream metadata (JSON, core/stream_codec.h)
//   "tail/" stream_uid(8 BE) shard(4 BE)            -> shard tail, 16 bytes:
//        +---------------------------+---------------------------+
//        | next position (u64 BE)    | last arrival ms (i64 BE)  |
//        +---------------------------+---------------------------+
//   "key/iterator"                                  -> 32-byte HMAC key for shard iterators
//   "account/" account "/" region                   -> account settings (JSON, core/account_settings.h)
//
// log: one entry per appended chunk (a group commit), value layout in chunk_codec.h
//   +----------------------+------------------+---------------------------+
//   | stream uid (u64 BE)  | shard (u32 BE)   | first position (u64 BE)   |   20 bytes
//   +----------------------+------------------+---------------------------+
//
// time: one empty entry per chunk, so AT_TIMESTAMP and retention seek instead of scanning
//   +----------------------+------------------+---------------------------+---------------------------+
//   | stream uid (u64 BE)  | shard (u32 BE)   | arrival ms (u64 BE)       | first position (u64 BE)   |
//   +----------------------+------------------+---------------------------+---------------------------+
#include <cstdint>
#include <string>
#include <string_view>

namespace eddy::storage::keys {

inline void put_be(std::string& out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

inline uint64_t get_be(std::string_view in, size_t offset, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<uint8_t>(in[offset + i]);
  return v;
}

inline std::string stream_prefix() { return "stream/"; }

inline std::string stream(std::string_view account, std::string_view region, std::string_view name) {
  std::string k = stream_prefix();
  k.append(account).append("/").append(region).append("/").append(name);
  return k;
}

inline std::string iterator_key() { return "key/iterator"; }

inline std::string account_settings(std::string_view account, std::string_view region) {
  std::string k = "account/";
  k.append(account).append("/").append(region);
  return k;
}

inline std::string shard_prefix(uint64_t uid, uint32_t shard) {
  std::string k;
  k.reserve(20);
  put_be(k, uid, 8);
  put_be(k, shard, 4);
  return k;
}

inline std::string stream_range_begin(uint64_t uid) {
  std::string k;
  put_be(k, uid, 8);
  return k;
}

// The first key after every key of stream `uid` (uid + 1, or 0xff.. past the last uid).
inline std::string stream_range_end(uint64_t uid) {
  if (uid == UINT64_MAX) return std::string(9, '\xff');
  return stream_range_begin(uid + 1);
}

inline std::string tail(uint64_t uid, uint32_t shard) { return "tail/" + shard_prefix(uid, shard); }
inline std::string tail_range_begin(uint64_t uid) { return "tail/" + stream_range_begin(uid); }
inline std::string tail_range_end(uint64_t uid) { return "tail/" + stream_range_end(uid); }

inline std::string log(uint64_t uid, uint32_t shard, uint64_t first_position) {
  std::string k = shard_prefix(uid, shard);
  put_be(k, first_position, 8);
  return k;
}

inline std::string time(uint64_t uid, uint32_t shard, int64_t arrival_ms, uint64_t first_position) {
  std::string k = shard_prefix(uid, shard);
  put_be(k, static_cast<uint64_t>(arrival_ms), 8);
  put_be(k, first_position, 8);
  return k;
}

}  // namespace eddy::storage::keys
