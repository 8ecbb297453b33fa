#pragma once
// The one place that turns a record's internal position into the 56-digit wire sequence number and back.
//
// A sequence number is a 186-bit value written in decimal (56 digits, starting "49"), laid out as AWS's
// version-2 numbers are, so that tools which read the version and shard from one (KCL's
// SequenceNumberValidator) recognise ours:
//
//    191   186 185 184  183          140 139         100 99                  36 35          4 3    0
//   +---------+---+----+----------------+---------------+----------------------+-------------+------+
//   | 0       | 1 | 0  | 0              | stream salt 40| position in shard 64 | shard idx 32| 0    |
//   +---------+---+----+----------------+---------------+----------------------+-------------+------+
//               version 2 (bits 184-187)                                        (24 bits used)
//
// * Within a shard, numbers rise with the position, so clients (KCL compares BigIntegers) see them grow.
// * The salt is drawn when a stream is created, so a number from another stream (or an earlier stream of
//   the same name) is recognised and rejected; the shard index identifies the shard.
// * Position 0 is each shard's StartingSequenceNumber; records start at position 1.
// * Every value lies in [2^185, 2^186), so every number has 56 digits and text order is numeric order.
//
// Before this layout, Eddy wrote "49", 15 zeros and 39 digits of (salt << 88 | shard << 64 | position); such
// numbers are still read, so clients holding one across an upgrade can go on from it.
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
