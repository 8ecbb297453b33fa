// application/vnd.amazon.eventstream frames (codec/eventstream.h), read as a client reads a
// SubscribeToShard body: message after message until the bytes run out or one is refused.
// Each input is read twice: as it is, and with both CRCs recomputed, so that the fuzzer reaches the
// header parser without having to forge CRC32s.
// Property: a decoded message encodes to a frame that decodes to the same message.
#include <zlib.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "eddy/codec/eventstream.h"

namespace {

namespace es = eddy::codec::eventstream;

uint32_t get_u32(std::string_view s, size_t at) {
  uint32_t v = 0;
  for (size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<uint8_t>(s[at + i]);
  return v;
}

void put_u32(std::string& s, size_t at, uint32_t v) {
  for (size_t i = 0; i < 4; ++i) s[at + i] = static_cast<char>(v >> (24 - 8 * i));
}

uint32_t crc(std::string_view s) {
  return static_cast<uint32_t>(::crc32(0L, reinterpret_cast<const Bytef*>(s.data()), static_cast<uInt>(s.size())));
}

// The same bytes with every frame's prelude and message CRC made right, as far as the lengths allow.
std::string with_crcs_fixed(std::string s) {
  size_t at = 0;
  while (s.size() - at >= 12) {
    put_u32(s, at + 8, crc(std::string_view(s).substr(at, 8)));
    const uint32_t total = get_u32(s, at);
    if (total < 16 || total > s.size() - at) break;
    put_u32(s, at + total - 4, crc(std::string_view(s).substr(at, total - 4)));
    at += total;
  }
  return s;
}

void read_all(std::string_view bytes) {
  while (!bytes.empty()) {
    es::decoded d = es::decode(bytes);
    if (d.status != es::decode_status::ok) return;
    if (d.consumed < 16 || d.consumed > bytes.size()) std::abort();
    const es::decoded again = es::decode(es::encode(d.msg));
    if (again.status != es::decode_status::ok || again.msg.headers != d.msg.headers ||
        again.msg.payload != d.msg.payload) {
      std::abort();
    }
    bytes.remove_prefix(d.consumed);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  read_all(bytes);
  read_all(with_crcs_fixed(std::string(bytes)));
  return 0;
}
