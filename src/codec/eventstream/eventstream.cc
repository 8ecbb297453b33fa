#include "eddy/codec/eventstream.h"

#include <zlib.h>

#include <cstdint>

namespace eddy::codec::eventstream {
namespace {

uint32_t crc(std::string_view bytes) {
  return static_cast<uint32_t>(
      ::crc32(0L, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size())));
}

void put_u32(std::string& out, uint32_t v) {
  for (int i = 3; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

uint32_t get_u32(std::string_view in, size_t at) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<uint8_t>(in[at + i]);
  return v;
}

// Bytes taken by a header value of `type` at `at` (after the type byte); SIZE_MAX when unknown or truncated.
size_t value_size(std::string_view h, size_t at, uint8_t type) {
  switch (type) {
    case 0:
    case 1: return 0;  // bool true / false carry no bytes
    case 2: return 1;
    case 3: return 2;
    case 4: return 4;
    case 5:
    case 8: return 8;
    case 9: return 16;
    case 6:
    case 7:
      if (at + 2 > h.size()) return SIZE_MAX;
      return 2 + ((static_cast<size_t>(static_cast<uint8_t>(h[at])) << 8) | static_cast<uint8_t>(h[at + 1]));
    default: return SIZE_MAX;
  }
}

}  // namespace

std::optional<std::string_view> message::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k == name) return std::string_view(v);
  }
  return std::nullopt;
}

std::string encode(const message& m) {
  std::string headers;
  for (const auto& [k, v] : m.headers) {
    headers.push_back(static_cast<char>(k.size()));
    headers += k;
    headers.push_back(7);
    headers.push_back(static_cast<char>((v.size() >> 8) & 0xff));
    headers.push_back(static_cast<char>(v.size() & 0xff));
    headers += v;
  }
  std::string out;
  out.reserve(16 + headers.size() + m.payload.size());
  put_u32(out, static_cast<uint32_t>(16 + headers.size() + m.payload.size()));
  put_u32(out, static_cast<uint32_t>(headers.size()));
  put_u32(out, crc(out));
  out += headers;
  out += m.payload;
  put_u32(out, crc(out));
  return out;
}

decoded decode(std::string_view bytes) {
  if (bytes.size() < 12) return {decode_status::need_more, {}, 0};
  const uint32_t total = get_u32(bytes, 0);
  const uint32_t headers_len = get_u32(bytes, 4);
  if (crc(bytes.substr(0, 8)) != get_u32(bytes, 8)) return {decode_status::bad_prelude_crc, {}, 0};
  if (total < 16 || headers_len > max_headers || headers_len > total - 16 || total - 16 - headers_len > max_payload) {
    return {decode_status::malformed, {}, 0};
  }
  if (bytes.size() < total) return {decode_status::need_more, {}, 0};
  if (crc(bytes.substr(0, total - 4)) != get_u32(bytes, total - 4)) return {decode_status::bad_message_crc, {}, 0};
  decoded d{decode_status::ok, {}, total};
  const std::string_view h = bytes.substr(12, headers_len);
  size_t at = 0;
  while (at < h.size()) {
    const size_t name_len = static_cast<uint8_t>(h[at++]);
    if (name_len == 0 || at + name_len + 1 > h.size()) return {decode_status::malformed, {}, 0};
    std::string name(h.substr(at, name_len));
    at += name_len;
    const uint8_t type = static_cast<uint8_t>(h[at++]);
    const size_t n = value_size(h, at, type);
    if (n == SIZE_MAX || at + n > h.size()) return {decode_status::malformed, {}, 0};
    if (type == 7) d.msg.headers.emplace_back(std::move(name), std::string(h.substr(at + 2, n - 2)));
    at += n;
  }
  d.msg.payload = std::string(bytes.substr(12 + headers_len, total - 16 - headers_len));
  return d;
}

std::string event_frame(std::string_view event_type, std::string_view json_payload) {
  return encode({{{":event-type", std::string(event_type)},
                  {":content-type", "application/json"},
                  {":message-type", "event"}},
                 std::string(json_payload)});
}

std::string exception_frame(std::string_view exception_type, std::string_view json_payload) {
  return encode({{{":exception-type", std::string(exception_type)},
                  {":content-type", "application/json"},
                  {":message-type", "exception"}},
                 std::string(json_payload)});
}

}  // namespace eddy::codec::eventstream
