#include "eddy/core/hash_range.h"

#include <openssl/md5.h>

namespace eddy::core {

std::vector<hash_range> split_evenly(uint32_t n) {
  std::vector<hash_range> out;
  if (n == 0) return out;
  // floor(2^128 / n) without 2^128 itself: (2^128-1)/n, plus one when n divides 2^128 exactly.
  u128 size = u128_max / n;
  if (u128_max % n == n - 1) size += 1;
  out.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    const u128 start = size * i;
    const u128 end = (i + 1 == n) ? u128_max : size * (i + 1) - 1;
    out.push_back({start, end});
  }
  return out;
}

u128 partition_hash(std::string_view partition_key) {
  unsigned char digest[MD5_DIGEST_LENGTH];
  // MD5() is deprecated in OpenSSL 3 in favour of EVP, which allocates per call; the one-shot stays exact.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  MD5(reinterpret_cast<const unsigned char*>(partition_key.data()), partition_key.size(), digest);
#pragma GCC diagnostic pop
  return from_big_endian(digest);
}

}  // namespace eddy::core
