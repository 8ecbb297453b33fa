#include "eddy/core/sequence_number.h"

#include "eddy/base/uint128.h"

namespace eddy::core {

std::string format_sequence_number(const sequence_parts& p) {
  const u128 x = (static_cast<u128>(p.salt & salt_mask) << 88) | (static_cast<u128>(p.shard.get()) << 64) |
                 p.pos.get();
  const std::string digits = to_decimal(x);
  std::string out = "49";
  out.append(54 - digits.size(), '0');
  out += digits;
  return out;
}

std::optional<sequence_parts> parse_sequence_number(std::string_view s) {
  if (s.size() != 56 || s.substr(0, 2) != "49") return std::nullopt;
  const std::string_view zeros = s.substr(2, 15);
  if (zeros.find_first_not_of('0') != std::string_view::npos) return std::nullopt;
  const auto x = parse_decimal(s.substr(17));
  if (!x) return std::nullopt;
  return sequence_parts{static_cast<uint64_t>(*x >> 88) & salt_mask,
                        shard_index{static_cast<uint32_t>(*x >> 64) & max_shard_index},
                        position{static_cast<uint64_t>(*x)}};
}

}  // namespace eddy::core
