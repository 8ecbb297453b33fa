// Shard iterators a client hands back to GetRecords (core/shard_iterator.h): base64, then a MAC check,
// then the fields. Each input is tried twice: as the iterator text itself, and as the bytes inside an
// iterator (before its MAC), which get a valid MAC and base64 here so that the field parser is reached.
// Properties: decode never accepts text this key did not sign; what it accepts encodes to the same text.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "eddy/base/base64.h"
#include "eddy/core/shard_iterator.h"

namespace {

constexpr std::array<uint8_t, 32> kKey{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                       17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};

std::string signed_text(std::string_view body) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  HMAC(EVP_sha256(), kKey.data(), static_cast<int>(kKey.size()), reinterpret_cast<const unsigned char*>(body.data()),
       body.size(), mac, &len);
  std::string b(body);
  b.append(reinterpret_cast<const char*>(mac), 16);
  return eddy::base64::encode(b);
}

void check(const eddy::core::iterator_codec& codec, std::string_view text, bool signed_here) {
  const auto state = codec.decode(text);
  if (!state) return;
  if (!signed_here) std::abort();  // the fuzzer cannot forge an HMAC-SHA256: decode let one through
  if (codec.encode(*state) != text) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const eddy::core::iterator_codec codec(kKey);
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  check(codec, bytes, false);
  check(codec, signed_text(bytes), true);
  return 0;
}
