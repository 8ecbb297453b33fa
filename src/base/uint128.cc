#include "eddy/base/uint128.h"

#include <charconv>
#include <cstring>

namespace eddy {

std::string to_decimal(u128 v) {
  // In 19-digit pieces, each a 64-bit number: two 128-bit divisions instead of one per digit (every
  // acknowledged record's 56-digit sequence number comes through here).
  constexpr uint64_t kPiece = 10'000'000'000'000'000'000ull;  // 10^19
  uint64_t pieces[3];
  int n = 0;
  do {
    pieces[n++] = static_cast<uint64_t>(v % kPiece);
    v /= kPiece;
  } while (v != 0);
  char buf[64];
  char* p = std::to_chars(buf, buf + 20, pieces[n - 1]).ptr;
  for (int i = n - 2; i >= 0; --i) {
    char digits[20];
    const char* end = std::to_chars(digits, digits + 20, pieces[i]).ptr;
    const auto len = static_cast<size_t>(end - digits);
    std::memset(p, '0', 19 - len);  // inner pieces keep their leading zeros
    std::memcpy(p + 19 - len, digits, len);
    p += 19;
  }
  return std::string(buf, p);
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
