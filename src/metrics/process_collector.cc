#include "eddy/metrics/process_collector.h"

#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "eddy/metrics/scrape_family.h"

namespace eddy::metrics {
namespace {

using prometheus::MetricType;

// The fields of /proc/self/stat after the command name (which may itself hold spaces and parentheses):
// fields[0] is field 3 of proc(5), "state".
std::vector<std::string> stat_fields() {
  std::ifstream in("/proc/self/stat");
  std::string line;
  std::getline(in, line);
  const auto close = line.rfind(')');
  std::vector<std::string> fields;
  if (close == std::string::npos) return fields;
  std::istringstream rest(line.substr(close + 1));
  for (std::string f; rest >> f;) fields.push_back(std::move(f));
  return fields;
}

double field(const std::vector<std::string>& fields, size_t proc5_number) {
  const size_t i = proc5_number - 3;
  return i < fields.size() ? std::stod(fields[i]) : 0.0;
}

// Seconds since the epoch at which the system booted (/proc/stat btime).
double boot_time() {
  std::ifstream in("/proc/stat");
  for (std::string key; in >> key;) {
    if (key == "btime") {
      double t = 0;
      in >> t;
      return t;
    }
    in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
  }
  return 0;
}

double open_fds() {
  std::error_code ec;
  double n = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec); !ec && it != std::filesystem::directory_iterator();
       it.increment(ec)) {
    ++n;
  }
  return n > 0 ? n - 1 : 0;  // the directory iterator's own descriptor is listed too
}

}  // namespace

std::vector<prometheus::MetricFamily> process_collector::Collect() const {
  static const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
  static const double page = static_cast<double>(::sysconf(_SC_PAGESIZE));
  static const double booted = boot_time();
  const auto f = stat_fields();
  std::vector<prometheus::MetricFamily> out;
  auto one = [&out](const char* name, const char* help, MetricType type, double value) {
    scrape_family fam(name, help, type);
    fam.add({}, value);
    out.push_back(fam.take());
  };
  one("process_cpu_seconds_total", "Total user and system CPU time spent in seconds", MetricType::Counter,
      (field(f, 14) + field(f, 15)) / ticks);
  one("process_resident_memory_bytes", "Resident memory size in bytes", MetricType::Gauge, field(f, 24) * page);
  one("process_virtual_memory_bytes", "Virtual memory size in bytes", MetricType::Gauge, field(f, 23));
  one("process_open_fds", "Number of open file descriptors", MetricType::Gauge, open_fds());
  rlimit lim{};
  const double max_fds = ::getrlimit(RLIMIT_NOFILE, &lim) == 0 ? static_cast<double>(lim.rlim_cur) : 0;
  one("process_max_fds", "Maximum number of open file descriptors", MetricType::Gauge, max_fds);
  one("process_start_time_seconds", "Start time of the process since the Unix epoch in seconds", MetricType::Gauge,
      booted + field(f, 22) / ticks);
  one("process_threads", "Number of OS threads in the process", MetricType::Gauge, field(f, 20));
  return out;
}

}  // namespace eddy::metrics
