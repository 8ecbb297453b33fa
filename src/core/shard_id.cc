#include "eddy/core/shard_id.h"

#include <charconv>
#include <cstring>

namespace eddy::core {

std::string format_shard_id(shard_index ix) {
  // "shardId-" and 12 zero-padded digits; a shard index has at most 10.
  std::string out = "shardId-000000000000";
  char digits[10];
  const char* end = std::to_chars(digits, digits + sizeof digits, ix.get()).ptr;
  const auto len = static_cast<size_t>(end - digits);
  std::memcpy(out.data() + out.size() - len, digits, len);
  return out;
}

std::optional<shard_index> parse_shard_id(std::string_view id) {
  if (const auto dash = id.rfind('-'); dash != std::string_view::npos) id = id.substr(dash + 1);
  if (id.empty() || id.size() > 20) return std::nullopt;
  uint64_t v = 0;
  const auto [p, ec] = std::from_chars(id.data(), id.data() + id.size(), v);
  if (ec != std::errc{} || p != id.data() + id.size() || v > UINT32_MAX) return std::nullopt;
  return shard_index{static_cast<uint32_t>(v)};
}

}  // namespace eddy::core
