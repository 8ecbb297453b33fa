// Base64 blobs (record Data in JSON bodies) and the lenient decoder of opaque tokens (base/base64.h).
// Properties: what the strict decoder accepts is canonical, so it encodes back to the same text; the
// lenient decoder accepts every strict encoding and agrees with the strict one on it.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "eddy/base/base64.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  eddy::base64::decode_failure why{};
  const auto strict = eddy::base64::decode(text, &why);
  const auto lenient = eddy::base64::decode_lenient(text);
  if (strict) {
    if (eddy::base64::encode(strict->data(), strict->size()) != text) std::abort();
    if (!lenient || *lenient != std::string(strict->begin(), strict->end())) std::abort();
  }
  // Any bytes encode to text both decoders take back unchanged.
  const std::string encoded = eddy::base64::encode(text);
  const auto back = eddy::base64::decode(encoded);
  if (!back || std::string(back->begin(), back->end()) != text) std::abort();
  const auto url = eddy::base64::decode_lenient(eddy::base64::encode_url(text));
  if (!url || *url != text) std::abort();
  return 0;
}
