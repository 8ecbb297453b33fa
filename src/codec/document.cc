#include "eddy/codec/document.h"

namespace eddy::codec {

document make_blob(std::vector<std::uint8_t> bytes) { return document::binary(std::move(bytes)); }

document make_blob(std::string_view bytes) {
  return document::binary(std::vector<std::uint8_t>(bytes.begin(), bytes.end()));
}

document make_timestamp(std::int64_t epoch_ms) {
  std::vector<std::uint8_t> b(8);
  for (int i = 0; i < 8; ++i) b[i] = static_cast<std::uint8_t>(static_cast<std::uint64_t>(epoch_ms) >> (56 - 8 * i));
  return document::binary(std::move(b), timestamp_subtype);
}

bool is_timestamp(const document& d) {
  return d.is_binary() && d.get_binary().has_subtype() && d.get_binary().subtype() == timestamp_subtype &&
         d.get_binary().size() == 8;
}

std::int64_t timestamp_ms(const document& d) {
  std::uint64_t v = 0;
  for (auto byte : d.get_binary()) v = (v << 8) | byte;
  return static_cast<std::int64_t>(v);
}

bool is_blob(const document& d) { return d.is_binary() && !d.get_binary().has_subtype(); }

}  // namespace eddy::codec
