#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace eddy {

// Wall-clock milliseconds since the Unix epoch: what Kinesis timestamps carry.
inline int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Formats epoch milliseconds in UTC with strftime's `format` ("%Y%m%dT%H%M%SZ" for SigV4 dates).
std::string format_utc(int64_t epoch_ms, const char* format);

// Parses `text` in UTC with strptime's `format`, requiring it to match whole; epoch milliseconds.
std::optional<int64_t> parse_utc(std::string_view text, const char* format);

}  // namespace eddy
