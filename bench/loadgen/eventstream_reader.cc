#include "eventstream_reader.h"

#include <zlib.h>

namespace eddy::bench {
namespace {

constexpr size_t kPrelude = 12;
constexpr size_t kMaxFrame = 32u << 20;  // above the service's 24 MiB payload + 128 KiB headers

uint32_t be32(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return (uint32_t{u[0]} << 24) | (uint32_t{u[1]} << 16) | (uint32_t{u[2]} << 8) | u[3];
}

uint16_t be16(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return static_cast<uint16_t>((u[0] << 8) | u[1]);
}

uint32_t crc(std::string_view s) {
  return static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(s.data()), static_cast<uInt>(s.size())));
}

}  // namespace

std::optional<std::string_view> event_frame::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k == name) return std::string_view(v);
  }
  return std::nullopt;
}

eventstream_reader::status parse_frame(std::string_view f, event_frame& out) {
  using st = eventstream_reader::status;
  if (f.size() < kPrelude + 4) return st::malformed;
  const uint32_t total = be32(f.data());
  const uint32_t headers_len = be32(f.data() + 4);
  if (total != f.size() || headers_len > total - kPrelude - 4) return st::malformed;
  if (crc(f.substr(0, 8)) != be32(f.data() + 8)) return st::bad_prelude_crc;
  if (crc(f.substr(0, total - 4)) != be32(f.data() + total - 4)) return st::bad_message_crc;

  std::string_view h = f.substr(kPrelude, headers_len);
  out.headers.clear();
  while (!h.empty()) {
    const size_t name_len = static_cast<unsigned char>(h[0]);
    if (name_len == 0 || h.size() < 1 + name_len + 1) return st::malformed;
    std::string name(h.substr(1, name_len));
    const auto type = static_cast<unsigned char>(h[1 + name_len]);
    h.remove_prefix(2 + name_len);
    size_t fixed = 0;
    switch (type) {
      case 0: case 1: fixed = 0; break;
      case 2: fixed = 1; break;
      case 3: fixed = 2; break;
      case 4: fixed = 4; break;
      case 5: case 8: fixed = 8; break;
      case 9: fixed = 16; break;
      case 6: case 7: {
        if (h.size() < 2) return st::malformed;
        const size_t len = be16(h.data());
        if (h.size() < 2 + len) return st::malformed;
        out.headers.emplace_back(std::move(name), std::string(h.substr(2, len)));
        h.remove_prefix(2 + len);
        continue;
      }
      default: return st::malformed;
    }
    if (h.size() < fixed) return st::malformed;
    h.remove_prefix(fixed);
  }
  out.payload.assign(f.substr(kPrelude + headers_len, total - kPrelude - headers_len - 4));
  return st::ok;
}

eventstream_reader::status eventstream_reader::feed(std::string_view bytes, std::vector<event_frame>& out) {
  buf_.append(bytes);
  while (buf_.size() - pos_ >= kPrelude) {
    const uint32_t total = be32(buf_.data() + pos_);
    if (total < kPrelude + 4 || total > kMaxFrame) return status::malformed;
    if (crc(std::string_view(buf_).substr(pos_, 8)) != be32(buf_.data() + pos_ + 8)) return status::bad_prelude_crc;
    if (buf_.size() - pos_ < total) break;
    event_frame f;
    const auto s = parse_frame(std::string_view(buf_).substr(pos_, total), f);
    if (s != status::ok) return s;
    out.push_back(std::move(f));
    pos_ += total;
  }
  // Drop consumed bytes once they dominate, so the buffer stays the size of one frame.
  if (pos_ > 0 && pos_ >= buf_.size() / 2) {
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  return status::ok;
}

}  // namespace eddy::bench
