#pragma once
// The protocol-neutral document that operation handlers read and write.
//
// Requests and responses of every operation are trees of this type, whatever the wire protocol: the JSON
// codec (and later the CBOR one) translates bytes to and from it, so handlers never see either syntax.
// It is nlohmann::json with two conventions for the types JSON itself lacks:
//
//   blob       binary value without subtype           JSON: base64 text     CBOR: byte string
//   timestamp  binary value with subtype 1, 8 bytes:  JSON: epoch seconds   CBOR: tag 1 + epoch ms
//              big-endian int64 epoch milliseconds          ("1441215410.867")
//   records    binary value with subtype 2: a packed list  both: the array of Record objects
//              of Kinesis Records (record_list.h)
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string_view>
#include <vector>

namespace eddy::codec {

using document = nlohmann::json;

inline constexpr std::uint8_t timestamp_subtype = 1;

document make_blob(std::vector<std::uint8_t> bytes);
document make_blob(std::string_view bytes);
document make_timestamp(std::int64_t epoch_ms);

bool is_timestamp(const document& d);
std::int64_t timestamp_ms(const document& d);  // requires is_timestamp(d)
bool is_blob(const document& d);

}  // namespace eddy::codec
