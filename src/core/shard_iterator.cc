#include "eddy/core/shard_iterator.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/crypto.h>


#include "eddy/base/base64.h"
#include "eddy/base/clock.h"
#include "eddy/storage/key_codec.h"

namespace eddy::core {
namespace {

constexpr uint8_t kVersion = 1;
constexpr size_t kMacSize = 16;

std::array<uint8_t, 32> mac(const std::array<uint8_t, 32>& key, std::string_view bytes) {
  std::array<uint8_t, 32> out{};
  unsigned len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const uint8_t*>(bytes.data()),
       bytes.size(), out.data(), &len);
  return out;
}

}  // namespace

std::string iterator_codec::encode(const iterator_state& s) const {
  std::string b;
  b.reserve(64 + s.scope.region.size() + s.stream_name.size());
  b.push_back(static_cast<char>(kVersion));
  storage::keys::put_be(b, s.stream_uid, 8);
  storage::keys::put_be(b, s.shard.get(), 4);
  storage::keys::put_be(b, s.position, 8);
  storage::keys::put_be(b, static_cast<uint64_t>(s.issued_ms), 8);
  std::string account = s.scope.account;
  account.resize(12, ' ');
  b += account;
  b.push_back(static_cast<char>(s.scope.region.size()));
  b += s.scope.region;
  b.push_back(static_cast<char>(s.stream_name.size()));
  b += s.stream_name;
  const auto m = mac(key_, b);
  b.append(reinterpret_cast<const char*>(m.data()), kMacSize);
  return base64::encode(b);
}

std::optional<iterator_state> iterator_codec::decode(std::string_view text) const {
  auto raw = base64::decode(text);
  if (!raw) return std::nullopt;
  const std::string_view b(reinterpret_cast<const char*>(raw->data()), raw->size());
  constexpr size_t fixed = 1 + 8 + 4 + 8 + 8 + 12;
  if (b.size() < fixed + 2 + kMacSize || static_cast<uint8_t>(b[0]) != kVersion) return std::nullopt;
  const std::string_view body = b.substr(0, b.size() - kMacSize);
  const auto m = mac(key_, body);
  if (CRYPTO_memcmp(m.data(), b.data() + body.size(), kMacSize) != 0) return std::nullopt;
  iterator_state s;
  s.stream_uid = storage::keys::get_be(body, 1, 8);
  s.shard = shard_index{static_cast<uint32_t>(storage::keys::get_be(body, 9, 4))};
  s.position = storage::keys::get_be(body, 13, 8);
  s.issued_ms = static_cast<int64_t>(storage::keys::get_be(body, 21, 8));
  s.scope.account = std::string(body.substr(29, 12));
  size_t at = fixed;
  const size_t region_len = static_cast<uint8_t>(body[at++]);
  if (body.size() < at + region_len + 1) return std::nullopt;
  s.scope.region = std::string(body.substr(at, region_len));
  at += region_len;
  const size_t name_len = static_cast<uint8_t>(body[at++]);
  if (body.size() != at + name_len) return std::nullopt;
  s.stream_name = std::string(body.substr(at, name_len));
  return s;
}

std::string amz_utc_string(int64_t epoch_ms) { return format_utc(epoch_ms, "%a %b %d %H:%M:%S UTC %Y"); }

}  // namespace eddy::core
