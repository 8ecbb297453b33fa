#pragma once
// The one place that turns a record's internal position into the 56-digit wire sequence number and back.
//
// A sequence number is "49" followed by 54 decimal digits holding a 128-bit value X, zero-padded:
//
//    127            88 87          64 63                              0
//   +----------------+--------------+----------------------------------+
//   | stream salt 40 | shard idx 24 | position in shard (64 bits)      |
//   +----------------+--------------+----------------------------------+
//
// * Within a shard, numbers rise with the position, so clients (KCL compares BigIntegers) see them grow.
// * The salt is drawn when a stream is created, so a number from another stream (or an earlier stream of
//   the same name) is recognised and rejected; the shard index identifies the shard.
// * Position 0 is each shard's StartingSequenceNumber; records start at position 1.
// X < 2^128 < 10^39, so the 15 digits after "49" are always zero and every number has 56 digits.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "eddy/base/strong_id.h"
#include "eddy/core/shard_id.h"

namespace eddy::core {

struct position_tag;
using position = strong<position_tag, uint64_t>;

inline constexpr uint64_t salt_mask = (uint64_t{1} << 40) - 1;
inline constexpr uint32_t max_shard_index = (1u << 24) - 1;

struct sequence_parts {
  uint64_t salt;  // 40 bits
  shard_index shard;
  position pos;
  friend bool operator==(const sequence_parts&, const sequence_parts&) = default;
};

std::string format_sequence_number(const sequence_parts& p);

// nullopt when `s` is not a number this broker could have issued (wrong length, prefix or digits).
std::optional<sequence_parts> parse_sequence_number(std::string_view s);

}  // namespace eddy::core
