#include "init_specs.h"

#include <algorithm>
#include <charconv>

namespace eddy::config {
namespace {

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    const size_t end = text.find(sep, start);
    out.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) return out;
    start = end + 1;
  }
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

bool aws_name(const std::string& s) {
  return !s.empty() && s.size() <= 128 && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
  });
}

}  // namespace

result<std::vector<init_stream>, std::string> parse_init_streams(const std::string& text) {
  std::vector<init_stream> out;
  if (trim(text).empty()) return out;
  for (const auto& item : split(text, ',')) {
    const auto parts = split(trim(item), ':');
    init_stream s;
    s.name = parts[0];
    if (!aws_name(s.name)) {
      return fail("has a bad stream name '" + s.name + "' (1 to 128 of a-z A-Z 0-9 _ . -)");
    }
    if (parts.size() > 3) return fail("expects name[:shards[:provisioned|on-demand]], got '" + trim(item) + "'");
    if (parts.size() >= 2 && !parts[1].empty()) {
      int64_t n = 0;
      const auto [p, ec] = std::from_chars(parts[1].data(), parts[1].data() + parts[1].size(), n);
      if (ec != std::errc{} || p != parts[1].data() + parts[1].size() || n < 1 || n > 100000) {
        return fail("expects a shard count from 1 to 100000 for " + s.name + ", got '" + parts[1] + "'");
      }
      s.shards = n;
    }
    if (parts.size() == 3) {
      std::string mode = parts[2];
      std::transform(mode.begin(), mode.end(), mode.begin(), [](char c) { return c == '_' ? '-' : std::tolower(c); });
      if (mode == "on-demand") {
        s.on_demand = true;
      } else if (mode != "provisioned") {
        return fail("expects provisioned or on-demand as the mode of " + s.name + ", got '" + parts[2] + "'");
      }
    }
    for (const auto& seen : out) {
      if (seen.name == s.name) return fail("names stream " + s.name + " twice");
    }
    out.push_back(std::move(s));
  }
  return out;
}

result<std::vector<init_consumer>, std::string> parse_init_consumers(const std::string& text) {
  std::vector<init_consumer> out;
  if (trim(text).empty()) return out;
  for (const auto& item : split(text, ',')) {
    const auto parts = split(trim(item), ':');
    if (parts.size() != 2 || !aws_name(parts[0]) || !aws_name(parts[1])) {
      return fail("expects stream:consumer (names of a-z A-Z 0-9 _ . -), got '" + trim(item) + "'");
    }
    out.push_back({parts[0], parts[1]});
  }
  return out;
}

}  // namespace eddy::config
