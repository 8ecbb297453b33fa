#pragma once
// application/x-amz-cbor-1.1 (RFC 8949) as the AWS SDK for Java speaks it: bytes <-> document.
//
// Every item starts with one initial byte: major type in the top 3 bits, argument in the low 5.
//   +-------+-------------+   argument < 24: the value itself; 24/25/26/27: the value follows in
//   | major | argument    |   1/2/4/8 big-endian bytes; 31: indefinite length (ends with 0xff)
//   | 3 bit | 5 bit       |
//   +-------+-------------+
//   0 unsigned int   1 negative int (-1 - n)   2 byte string   3 text string   4 array   5 map
//   6 tag            7 simple/float (0xf4 false, 0xf5 true, 0xf6 null, 0xfb double)
//
// AWS quirks: timestamps are tag 1 (0xc1) followed by an integer of epoch MILLISECONDS (RFC 8949 says
// seconds; the Java SDK writes milliseconds), blobs are byte strings (base64 text is accepted too).
// Decoding (libcbor's streaming decoder) ignores tags, so a timestamp arrives as its integer and the
// validator reads it as milliseconds.
#include <optional>
#include <string>
#include <string_view>

#include "eddy/codec/document.h"

namespace eddy::codec::cbor {

// nullopt when the bytes are not one well-formed CBOR item, or nest deeper than 64 levels.
std::optional<document> decode(std::string_view body);

enum class timestamp_style {
  aws_millis,    // awsCbor 1.1 (Java SDK): tag 1 + integer epoch milliseconds
  epoch_seconds  // Smithy RPC v2 CBOR: tag 1 + double epoch seconds, as RFC 8949 means it
};

// Definite-length items; blobs as byte strings, timestamps as tag 1 in the given style.
std::string encode(const document& d, timestamp_style style = timestamp_style::aws_millis);

}  // namespace eddy::codec::cbor
