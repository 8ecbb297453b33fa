// Request bodies in application/x-amz-cbor-1.1 and Smithy RPC v2 CBOR (codec/cbor_codec.h): libcbor's
// streaming decoder feeding eddy's bounded document builder.
// Property: what decodes encodes to CBOR that decodes and encodes to the same bytes again (tags are
// dropped and floats widened on the way in, so the first encoding is the fixed point, not the input).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "eddy/codec/cbor_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  const auto decoded = eddy::codec::cbor::decode(body);
  if (!decoded) return 0;
  for (const auto style : {eddy::codec::cbor::timestamp_style::aws_millis, eddy::codec::cbor::timestamp_style::epoch_seconds}) {
    const std::string once = eddy::codec::cbor::encode(*decoded, style);
    const auto again = eddy::codec::cbor::decode(once);
    if (!again || eddy::codec::cbor::encode(*again, style) != once) std::abort();
  }
  return 0;
}
