#include "eddy/base/clock.h"

#include <ctime>

namespace eddy {

std::string format_utc(int64_t epoch_ms, const char* format) {
  const std::time_t t = static_cast<std::time_t>(epoch_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  const size_t n = std::strftime(buf, sizeof buf, format, &tm);
  return std::string(buf, n);
}

std::optional<int64_t> parse_utc(std::string_view text, const char* format) {
  std::tm tm{};
  const std::string s(text);
  const char* end = strptime(s.c_str(), format, &tm);
  if (!end || *end != '\0') return std::nullopt;
  return static_cast<int64_t>(timegm(&tm)) * 1000;
}

}  // namespace eddy
