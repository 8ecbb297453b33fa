#pragma once
// 128-bit unsigned arithmetic for the Kinesis hash-key space [0, 2^128-1] and for sequence numbers.
// GCC's __int128 is exact and fast; __extension__ keeps -Wpedantic quiet about it.
#include <optional>
#include <string>
#include <string_view>

namespace eddy {

__extension__ typedef unsigned __int128 u128;

inline constexpr u128 u128_max = ~static_cast<u128>(0);

// Plain decimal, no sign, no leading zeros ("0" for zero).
std::string to_decimal(u128 v);

// Parses 1..39 decimal digits; nullopt on any other character, on emptiness or on overflow past 2^128-1.
std::optional<u128> parse_decimal(std::string_view s);

// The 16 bytes of `p` read as a big-endian integer (an MD5 digest, for instance).
u128 from_big_endian(const unsigned char* p);

}  // namespace eddy
