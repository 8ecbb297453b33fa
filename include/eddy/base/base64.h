#pragma once
// Standard-alphabet, padded base64 (RFC 4648 §4): the form AWS JSON protocols use for blobs.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace eddy::base64 {

std::string encode(const uint8_t* data, size_t size);
// Appends the encoding to `out` (the JSON writer's case: no temporary string per blob).
void encode_append(std::string& out, const uint8_t* data, size_t size);
inline std::string encode(std::string_view s) {
  return encode(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

// Why a decode failed, in the words AWS uses for a blob member that is not base64.
enum class decode_error { bad_length, bad_character, non_canonical };

struct decode_failure {
  decode_error kind;
  char character = 0;  // for bad_character
};

// Strict: the length must be a multiple of 4, padding only at the end, unused bits zero.
std::optional<std::vector<uint8_t>> decode(std::string_view s, decode_failure* why = nullptr);

// Lenient: also accepts the URL-safe alphabet and missing padding (opaque tokens we minted).
std::optional<std::string> decode_lenient(std::string_view s);
std::string encode_url(std::string_view s);

}  // namespace eddy::base64
