#pragma once
// Client-side reader of application/vnd.amazon.eventstream, the framing SubscribeToShard pushes events in.
// Written apart from the broker's own codec (src/codec/eventstream) on purpose: the load generator checks
// the broker's frames, so sharing the code would hide a bug on both sides.
//
//   +----------------+-----------------+----------------+-----------------+-----------+----------------+
//   | total_len  u32 | headers_len u32 | prelude_crc u32| headers[...]    | payload   | message_crc u32|
//   +----------------+-----------------+----------------+-----------------+-----------+----------------+
//   big-endian; prelude_crc = CRC32(bytes 0..7); message_crc = CRC32(bytes 0..total_len-5);
//   total_len = 12 + headers_len + payload_len + 4; CRC32 is zlib's (IEEE 802.3).
//
//   header: name_len u8 | name | type u8 | value, where value is
//     0/1 bool (no bytes)  2 i8  3 i16  4 i32  5 i64  6 bytes (u16 len + bytes)  7 string (u16 len + UTF-8)
//     8 timestamp (i64 ms)  9 uuid (16 bytes)
//   Kinesis sends only strings (:message-type, :event-type, :exception-type, :content-type, ...).
//
// Thread safety: none; owned by the subscription that feeds it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace eddy::bench {

struct event_frame {
  std::vector<std::pair<std::string, std::string>> headers;  // string and byte-array headers; others skipped
  std::string payload;

  std::optional<std::string_view> header(std::string_view name) const;
};

class eventstream_reader {
 public:
  enum class status { ok, bad_prelude_crc, bad_message_crc, malformed };

  // Appends bytes as they arrive (any split) and moves every complete frame to `out`. After a non-ok
  // status the stream is unusable: framing is lost.
  status feed(std::string_view bytes, std::vector<event_frame>& out);

  size_t buffered() const { return buf_.size() - pos_; }

 private:
  std::string buf_;
  size_t pos_ = 0;  // start of the first unread frame in buf_
};

// Parses one complete frame (exactly total_len bytes); exposed for tests.
eventstream_reader::status parse_frame(std::string_view frame, event_frame& out);

}  // namespace eddy::bench
