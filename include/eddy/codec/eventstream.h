#pragma once
// application/vnd.amazon.eventstream: the framing SubscribeToShard pushes events in.
//
//   +----------------+-----------------+----------------+-----------------+-----------+----------------+
//   | total_len  u32 | headers_len u32 | prelude_crc u32| headers[...]    | payload   | message_crc u32|
//   +----------------+-----------------+----------------+-----------------+-----------+----------------+
//   all integers big-endian; prelude_crc = CRC32 of bytes 0..7; message_crc = CRC32 of everything before
//   it (prelude_crc included); total_len = 12 + headers_len + payload_len + 4. CRC32 is zlib's (IEEE 802.3).
//
//   header: name_len u8 (1..255) | name | value type u8 | value
//   this codec writes and reads type 7 (string: u16 length + UTF-8), and reads past types 0..9.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace eddy::codec::eventstream {

inline constexpr size_t max_payload = 24u << 20;   // the service-side limits
inline constexpr size_t max_headers = 128u << 10;

struct message {
  std::vector<std::pair<std::string, std::string>> headers;  // string-valued headers, in order
  std::string payload;

  std::optional<std::string_view> header(std::string_view name) const;
};

std::string encode(const message& m);

enum class decode_status { ok, need_more, bad_prelude_crc, bad_message_crc, malformed };

struct decoded {
  decode_status status;
  message msg;          // when ok
  size_t consumed = 0;  // bytes of the input the message took, when ok
};

// Decodes the first message of `bytes` (a stream may hold several, or part of one).
decoded decode(std::string_view bytes);

// The three frames Kinesis sends: an event, a modelled exception, and the initial response.
std::string event_frame(std::string_view event_type, std::string_view json_payload);
std::string exception_frame(std::string_view exception_type, std::string_view json_payload);

}  // namespace eddy::codec::eventstream
