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

std::string encode_with(const uint8_t* d, size_t n, const char* alphabet, bool pad) {
  std::string out;
  out.reserve((n + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    const uint32_t v = (uint32_t{d[i]} << 16) | (uint32_t{d[i + 1]} << 8) | d[i + 2];
    out.push_back(alphabet[(v >> 18) & 63]);
    out.push_back(alphabet[(v >> 12) & 63]);
    out.push_back(alphabet[(v >> 6) & 63]);
    out.push_back(alphabet[v & 63]);
  }
  if (const size_t rest = n - i; rest != 0) {
    uint32_t v = uint32_t{d[i]} << 16;
    if (rest == 2) v |= uint32_t{d[i + 1]} << 8;
    out.push_back(alphabet[(v >> 18) & 63]);
    out.push_back(alphabet[(v >> 12) & 63]);
    if (rest == 2) {
      out.push_back(alphabet[(v >> 6) & 63]);
    } else if (pad) {
      out.push_back('=');
    }
    if (pad) out.push_back('=');
  }
  return out;
}

}  // namespace

std::string encode(const uint8_t* data, size_t size) { return encode_with(data, size, kAlphabet, true); }

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
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (i < body ? kStrict[static_cast<uint8_t>(c)] < 0 : c != '=') return failed(decode_error::bad_character, c);
  }
  std::vector<uint8_t> out;
  out.reserve(s.size() / 4 * 3);
  uint32_t acc = 0;
  int bits = 0;
  for (size_t i = 0; i < body; ++i) {
    acc = (acc << 6) | static_cast<uint32_t>(kStrict[static_cast<uint8_t>(s[i])]);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<uint8_t>(acc >> bits));
    }
  }
  if (bits != 0 && (acc & ((1u << bits) - 1)) != 0) return failed(decode_error::non_canonical);
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
