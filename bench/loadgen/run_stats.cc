#include "run_stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace eddy::bench {
namespace {

double round3(double v) { return std::round(v * 1000) / 1000; }

}  // namespace

nlohmann::json percentiles::to_json() const {
  return {{"count", count}, {"p50", round3(p50)}, {"p90", round3(p90)}, {"p99", round3(p99)},
          {"max", round3(max)}, {"mean", round3(mean)}};
}

percentiles summarize(std::vector<int64_t>& s) {
  percentiles p;
  p.count = static_cast<int64_t>(s.size());
  if (s.empty()) return p;
  std::sort(s.begin(), s.end());
  // Nearest rank: the smallest sample with at least q of all samples at or below it.
  auto at = [&](double q) {
    const auto rank = static_cast<size_t>(std::ceil(q * static_cast<double>(s.size())));
    return static_cast<double>(s[std::clamp<size_t>(rank, 1, s.size()) - 1]) / 1e6;
  };
  p.p50 = at(0.50);
  p.p90 = at(0.90);
  p.p99 = at(0.99);
  p.max = static_cast<double>(s.back()) / 1e6;
  p.mean = std::accumulate(s.begin(), s.end(), 0.0) / static_cast<double>(s.size()) / 1e6;
  return p;
}

int64_t run_stats::errors() const {
  int64_t n = 0;
  for (const auto& [k, v] : request_errors) n += v;
  for (const auto& [k, v] : record_errors) n += v;
  return n;
}

}  // namespace eddy::bench
