#include "eddy/core/sequence_number.h"

#include <array>

#include "eddy/base/uint128.h"

namespace eddy::core {
namespace {

// A 192-bit unsigned value as three 64-bit limbs, least significant first: just the arithmetic the
// decimal text needs.
using u192 = std::array<uint64_t, 3>;
constexpr uint64_t kTen19 = 10'000'000'000'000'000'000ull;

constexpr int kVersionBit = 185;  // version 2 in bits 184-187
constexpr int kShardShift = 4;
constexpr int kPositionShift = 36;
constexpr int kSaltShift = 100;

// Sets the `bits` low bits of `v` at bit `shift` of x (the fields never straddle more than two limbs).
void put(u192& x, int shift, uint64_t v) {
  const int limb = shift / 64;
  const int off = shift % 64;
  x[limb] |= v << off;
  if (off != 0 && limb + 1 < 3) x[limb + 1] |= v >> (64 - off);
}

uint64_t get(const u192& x, int shift, int bits) {
  const int limb = shift / 64;
  const int off = shift % 64;
  uint64_t v = x[limb] >> off;
  if (off != 0 && limb + 1 < 3) v |= x[limb + 1] << (64 - off);
  return bits == 64 ? v : v & ((uint64_t{1} << bits) - 1);
}

// x /= d, returning the remainder.
uint64_t divide(u192& x, uint64_t d) {
  u128 rem = 0;
  for (int i = 2; i >= 0; --i) {
    const u128 cur = (rem << 64) | x[i];
    x[i] = static_cast<uint64_t>(cur / d);
    rem = cur % d;
  }
  return static_cast<uint64_t>(rem);
}

// x = x * m + a; false on overflow past 192 bits.
bool multiply_add(u192& x, uint64_t m, uint64_t a) {
  u128 carry = a;
  for (auto& limb : x) {
    const u128 cur = static_cast<u128>(limb) * m + carry;
    limb = static_cast<uint64_t>(cur);
    carry = cur >> 64;
  }
  return carry == 0;
}

std::optional<sequence_parts> parse_legacy(std::string_view s) {
  if (s.substr(2, 15).find_first_not_of('0') != std::string_view::npos) return std::nullopt;
  const auto x = parse_decimal(s.substr(17));
  if (!x) return std::nullopt;
  return sequence_parts{static_cast<uint64_t>(*x >> 88) & salt_mask,
                        shard_index{static_cast<uint32_t>(*x >> 64) & max_shard_index},
                        position{static_cast<uint64_t>(*x)}};
}

}  // namespace

std::string format_sequence_number(const sequence_parts& p) {
  u192 x{};
  put(x, kVersionBit, 1);
  put(x, kSaltShift, p.salt & salt_mask);
  put(x, kPositionShift, p.pos.get());
  put(x, kShardShift, p.shard.get());
  // Three pieces of 19 digits, the most significant one with a leading zero: 2^186 < 10^57.
  std::string out(57, '0');
  for (int piece = 2; piece >= 0; --piece) {
    uint64_t r = divide(x, kTen19);
    for (int i = 0; i < 19; ++i, r /= 10) out[piece * 19 + 18 - i] = static_cast<char>('0' + r % 10);
  }
  out.erase(0, 1);
  return out;
}

std::optional<sequence_parts> parse_sequence_number(std::string_view s) {
  if (s.size() != 56 || s.substr(0, 2) != "49") return std::nullopt;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  u192 x{};
  // 56 digits: 18, then 19 and 19.
  for (size_t at = 0; at < s.size();) {
    const size_t n = at == 0 ? 18 : 19;
    uint64_t chunk = 0;
    uint64_t scale = 1;
    for (size_t i = 0; i < n; ++i, scale *= 10) chunk = chunk * 10 + static_cast<uint64_t>(s[at + i] - '0');
    if (!multiply_add(x, scale, chunk)) return std::nullopt;
    at += n;
  }
  if (x[2] >> (kVersionBit - 128) != 1) return parse_legacy(s);  // not in [2^185, 2^186)
  // What the layout leaves zero must be zero, or this is not a number Eddy issued.
  if (get(x, 0, kShardShift) != 0 || get(x, kShardShift, 32) > max_shard_index) return std::nullopt;
  if (get(x, kSaltShift + 40, kVersionBit - kSaltShift - 40) != 0) return std::nullopt;
  return sequence_parts{get(x, kSaltShift, 40), shard_index{static_cast<uint32_t>(get(x, kShardShift, 32))},
                        position{get(x, kPositionShift, 64)}};
}

}  // namespace eddy::core
