#pragma once
// application/x-amz-json-1.1: bytes <-> document.
#include <optional>
#include <string>
#include <string_view>

#include "eddy/codec/document.h"

namespace eddy::codec::json {

// Parses a request body; nullopt when it is not valid JSON or nests deeper than 64 levels
// (SerializationException upstream).
std::optional<document> decode(std::string_view body);

// Writes a response: blobs as padded base64, timestamps as decimal epoch seconds with a millisecond
// fraction and never in exponent form (some SDKs reject 1.441215410867E9).
std::string encode(const document& d);

}  // namespace eddy::codec::json
