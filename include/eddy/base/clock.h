#pragma once
#include <chrono>
#include <cstdint>

namespace eddy {

// Wall-clock milliseconds since the Unix epoch: what Kinesis timestamps carry.
inline int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace eddy
