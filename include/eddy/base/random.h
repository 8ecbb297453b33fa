#pragma once
#include <cstdint>
#include <string>

namespace eddy {

// A random RFC 4122 version-4 UUID in its 36-character text form (request ids).
std::string random_uuid();

// 64 random bits from a per-thread generator seeded from the OS.
uint64_t random_u64();

}  // namespace eddy
