#include "eddy/base/base64.h"

#include <array>

namespace eddy::base64 {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kUrlAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

constexpr std::array<int8_t, 256> make_table(bool lenient) {
  std::array<int8_t, 256> t{};
  for (auto& v : t) v = -1;
  for (int i = 0; i < 64; ++i) t[static_cast<uint8_t>(kAlphabet[i])] = static_cast<int8_t>(i);
  if (lenient) {
    t[static_cast<uint8_t>('-')] = 62;
    t[static_cast<uint8_t>('_')] = 63;
  }
  return t;
}
constexpr auto kStrict = make_table(false);
constexpr auto kLenient = make_table(true);

// Writes whole 3-byte groups, then the tail, into storage sized once: this runs for every blob of every
// JSON response.
void encode_into(std::string& out, const uint8_t* d, size_t n, const char* alphabet, bool pad) {
  const size_t full = n / 3 * 3;
  const size_t rest = n - full;
  const size_t at = out.size();
  out.resize(at + n / 3 * 4 + (rest == 0 ? 0 : pad ? 4 : rest + 1));
  char* o = out.data() + at;
  for (size_t i = 0; i < full; i += 3) {
    const uint32_t v = (uint32_t{d[i]} << 16) | (uint32_t{d[i + 1]} << 8) | d[i + 2];
    o[0] = alphabet[(v >> 18) & 63];
    o[1] = alphabet[(v >> 12) & 63];
    o[2] = alphabet[(v >> 6) & 63];
    o[3] = alphabet[v & 63];
    o += 4;
  }
  if (rest != 0) {
    uint32_t v = uint32_t{d[full]} << 16;
    if (rest == 2) v |= uint32_t{d[full + 1]} << 8;
    *o++ = alphabet[(v >> 18) & 63];
    *o++ = alphabet[(v >> 12) & 63];
    if (rest == 2) {
      *o++ = alphabet[(v >> 6) & 63];
    } else if (pad) {
      *o++ = '=';
    }
    if (pad) *o++ = '=';
  }
}

std::string encode_with(const uint8_t* d, size_t n, const char* alphabet, bool pad) {
  std::string out;
  encode_into(out, d, n, alphabet, pad);
  return out;
}

}  // namespace

std::string encode(const uint8_t* data, size_t size) { return encode_with(data, size, kAlphabet, true); }

void encode_append(std::string& out, const uint8_t* data, size_t size) { encode_into(out, data, size, kAlphabet, true); }

std::string encode_url(std::string_view s) {
  return encode_with(reinterpret_cast<const uint8_t*>(s.data()), s.size(), kUrlAlphabet, false);
}

std::optional<std::vector<uint8_t>> decode(std::string_view s, decode_failure* why) {
  auto failed = [why](decode_error e, char c = 0) -> std::optional<std::vector<uint8_t>> {
    if (why) *why = {e, c};
    return std::nullopt;
  };
  if (s.size() % 4 != 0) return failed(decode_error::bad_length);
  size_t pad = 0;
  if (!s.empty() && s.back() == '=') pad = (s.size() >= 2 && s[s.size() - 2] == '=') ? 2 : 1;
  const size_t body = s.size() - pad;
  // One pass: four characters make three bytes; a bad character stops it and is reported as AWS does.
  std::vector<uint8_t> out(body / 4 * 3 + (pad == 0 ? 0 : 3 - pad));
  uint8_t* o = out.data();
  const size_t whole = body / 4 * 4;
  for (size_t i = 0; i < whole; i += 4) {
    const int8_t a = kStrict[static_cast<uint8_t>(s[i])], b = kStrict[static_cast<uint8_t>(s[i + 1])],
                 c = kStrict[static_cast<uint8_t>(s[i + 2])], d = kStrict[static_cast<uint8_t>(s[i + 3])];
    if ((a | b | c | d) < 0) {
      for (size_t j = i;; ++j) {
        if (kStrict[static_cast<uint8_t>(s[j])] < 0) return failed(decode_error::bad_character, s[j]);
      }
    }
    const uint32_t v = (uint32_t(a) << 18) | (uint32_t(b) << 12) | (uint32_t(c) << 6) | uint32_t(d);
    o[0] = static_cast<uint8_t>(v >> 16);
    o[1] = static_cast<uint8_t>(v >> 8);
    o[2] = static_cast<uint8_t>(v);
    o += 3;
  }
  if (pad != 0) {
    // The last group: 4 - pad characters, then the padding itself.
    uint32_t v = 0;
    for (size_t i = whole; i < body; ++i) {
      const int8_t x = kStrict[static_cast<uint8_t>(s[i])];
      if (x < 0) return failed(decode_error::bad_character, s[i]);
      v = (v << 6) | static_cast<uint32_t>(x);
    }
    for (size_t i = body; i < s.size(); ++i) {
      if (s[i] != '=') return failed(decode_error::bad_character, s[i]);
    }
    const int bits = static_cast<int>(body - whole) * 6 - 8 * (3 - static_cast<int>(pad));  // unused low bits
    if ((v & ((1u << bits) - 1)) != 0) return failed(decode_error::non_canonical);
    v >>= bits;
    if (pad == 1) {
      o[0] = static_cast<uint8_t>(v >> 8);
      o[1] = static_cast<uint8_t>(v);
    } else {
      o[0] = static_cast<uint8_t>(v);
    }
  }
  return out;
}

std::optional<std::string> decode_lenient(std::string_view s) {
  while (!s.empty() && s.back() == '=') s.remove_suffix(1);
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : s) {
    const int8_t v = kLenient[static_cast<uint8_t>(c)];
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return out;
}

}  // namespace eddy::base64
