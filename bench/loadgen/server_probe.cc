#include "server_probe.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

namespace eddy::bench {

double server_probe::cpu_now() const {
  std::ifstream f("/proc/" + std::to_string(pid_) + "/stat");
  std::string line;
  if (!std::getline(f, line)) return 0;
  // Field 2 (comm) is in parentheses and may hold spaces: count fields after the last ')'.
  const auto close = line.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream rest(line.substr(close + 2));
  std::string field;
  double utime = 0, stime = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14) utime = std::stod(field);
    if (i == 15) stime = std::stod(field);
  }
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

int64_t server_probe::status_kib(const char* name) const {
  std::ifstream f("/proc/" + std::to_string(pid_) + "/status");
  std::string line;
  const std::string prefix = std::string(name) + ":";
  while (std::getline(f, line)) {
    if (line.rfind(prefix, 0) == 0) return std::stoll(line.substr(prefix.size()));
  }
  return 0;
}

void server_probe::start() {
  if (!enabled()) return;
  cpu_start_ = cpu_now();
  rss_start_kib_ = rss_max_kib_ = status_kib("VmRSS");
}

void server_probe::sample() {
  if (!enabled()) return;
  rss_max_kib_ = std::max(rss_max_kib_, status_kib("VmRSS"));
}

void server_probe::stop() {
  if (!enabled()) return;
  cpu_end_ = cpu_now();
  sample();
  hwm_kib_ = status_kib("VmHWM");
}

nlohmann::json server_probe::to_json() const {
  if (!enabled()) return nullptr;
  auto mib = [](int64_t kib) { return std::round(static_cast<double>(kib) / 1024.0 * 10) / 10; };
  return {{"pid", pid_},
          {"cpu_s", std::round(cpu_seconds() * 100) / 100},
          {"rss_start_mib", mib(rss_start_kib_)},
          {"rss_max_sampled_mib", mib(rss_max_kib_)},
          {"peak_rss_mib", mib(hwm_kib_)}};
}

}  // namespace eddy::bench
