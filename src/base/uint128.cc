#include "eddy/base/uint128.h"

#include <algorithm>

namespace eddy {

std::string to_decimal(u128 v) {
  if (v == 0) return "0";
  std::string out;
  while (v != 0) {
    out.push_back(static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  }
  std::reverse(out.begin(), out.end());
  return out;
}

std::optional<u128> parse_decimal(std::string_view s) {
  if (s.empty() || s.size() > 39) return std::nullopt;
  u128 v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    const unsigned d = static_cast<unsigned>(c - '0');
    if (v > (u128_max - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  return v;
}

u128 from_big_endian(const unsigned char* p) {
  u128 v = 0;
  for (int i = 0; i < 16; ++i) v = (v << 8) | p[i];
  return v;
}

}  // namespace eddy
