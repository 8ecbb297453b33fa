// The metrics module: per-operation children, the exposition's sources, the process figures.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include "eddy/metrics/exposition.h"
#include "eddy/metrics/process_collector.h"
#include "eddy/metrics/request_probe.h"
#include "testlib/metric_lookup.h"

namespace eddy::metrics {
namespace {

using testlib::value;

constexpr std::string_view kOps[] = {"PutRecord", "GetRecords"};

TEST(RequestProbe, EveryOperationAndUnknownHaveSeriesBeforeAnyRequest) {
  request_probe probe(kOps);
  const auto families = probe.collectable()->Collect();
  for (const char* op : {"PutRecord", "GetRecords", "unknown"}) {
    EXPECT_EQ(value(families, "eddy_api_requests_total", {{"operation", op}}), 0.0) << op;
    EXPECT_EQ(value(families, "eddy_api_request_duration_seconds", {{"operation", op}}), 0.0) << op;
    EXPECT_EQ(value(families, "eddy_api_request_bytes_total", {{"operation", op}}), 0.0) << op;
    EXPECT_EQ(value(families, "eddy_api_response_bytes_total", {{"operation", op}}), 0.0) << op;
  }
  EXPECT_EQ(testlib::find_family(families, "eddy_api_errors_total"), nullptr) << "no error, no series (nor family)";
  EXPECT_EQ(probe.unknown_index(), 2u);
}

TEST(RequestProbe, RecordsCountsBytesLatencyAndErrorsByType) {
  request_probe probe(kOps);
  probe.record(0, 0.0003, 100, 20, "");
  probe.record(0, 0.002, 50, 30, "ResourceNotFoundException");
  probe.record(0, 0.004, 7, 8, "ResourceNotFoundException");
  probe.record(1, 0.5, 1, 2, "ExpiredIteratorException");
  probe.record(probe.unknown_index(), 0.0001, 3, 4, "UnknownOperationException");
  probe.add_response_bytes(1, 1000);

  const auto f = probe.collectable()->Collect();
  EXPECT_EQ(value(f, "eddy_api_requests_total", {{"operation", "PutRecord"}}), 3.0);
  EXPECT_EQ(value(f, "eddy_api_request_bytes_total", {{"operation", "PutRecord"}}), 157.0);
  EXPECT_EQ(value(f, "eddy_api_response_bytes_total", {{"operation", "PutRecord"}}), 58.0);
  EXPECT_EQ(value(f, "eddy_api_response_bytes_total", {{"operation", "GetRecords"}}), 1002.0);
  EXPECT_EQ(value(f, "eddy_api_errors_total", {{"operation", "PutRecord"}, {"error_type", "ResourceNotFoundException"}}),
            2.0);
  EXPECT_EQ(value(f, "eddy_api_errors_total", {{"operation", "GetRecords"}, {"error_type", "ExpiredIteratorException"}}),
            1.0);
  EXPECT_EQ(value(f, "eddy_api_errors_total", {{"operation", "unknown"}, {"error_type", "UnknownOperationException"}}),
            1.0);
  EXPECT_EQ(testlib::find_family(f, "eddy_api_errors_total")->metric.size(), 3u) << "no series for successes";

  const auto* h = testlib::find_metric(f, "eddy_api_request_duration_seconds", {{"operation", "PutRecord"}});
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->histogram.sample_count, 3u);
  EXPECT_NEAR(h->histogram.sample_sum, 0.0063, 1e-12);
  // Cumulative buckets: 0.3 ms falls under 0.5 ms, 2 ms under 2.5 ms, 4 ms under 5 ms.
  for (const auto& b : h->histogram.bucket) {
    const uint64_t want = b.upper_bound < 0.0003 ? 0 : b.upper_bound < 0.002 ? 1 : b.upper_bound < 0.004 ? 2 : 3;
    EXPECT_EQ(b.cumulative_count, want) << "le=" << b.upper_bound;
  }
}

// A source with one counter, `name`, at `v`.
std::shared_ptr<prometheus::Registry> registry_with(const std::string& name, double v) {
  auto r = std::make_shared<prometheus::Registry>();
  prometheus::BuildCounter().Name(name).Help("test").Register(*r).Add({}).Increment(v);
  return r;
}

TEST(Exposition, RendersEveryLiveSourceInTextFormatAndDropsGoneOnes) {
  exposition e;
  auto a = registry_with("eddy_a_total", 3);
  auto b = registry_with("eddy_b_total", 4);
  e.add(a);
  e.add(b);
  const std::string text = e.render();
  EXPECT_NE(text.find("# TYPE eddy_a_total counter\neddy_a_total 3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("# TYPE eddy_b_total counter\neddy_b_total 4\n"), std::string::npos) << text;
  EXPECT_LT(text.find("eddy_a_total"), text.find("eddy_b_total")) << "registration order";
  a.reset();
  const auto after = e.collect();
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].name, "eddy_b_total");
}

TEST(ProcessCollector, ReportsThisProcess) {
  process_collector c;
  const auto before = c.Collect();
  const int fd = ::open("/proc/self/stat", O_RDONLY);
  ASSERT_GE(fd, 0);
  const auto during = c.Collect();
  ::close(fd);

  EXPECT_EQ(value(during, "process_open_fds").value(), value(before, "process_open_fds").value() + 1);
  EXPECT_GT(value(during, "process_resident_memory_bytes").value(), 1 << 20);
  EXPECT_GE(value(during, "process_virtual_memory_bytes").value(), value(during, "process_resident_memory_bytes").value());
  EXPECT_GE(value(during, "process_max_fds").value(), value(during, "process_open_fds").value());
  EXPECT_GE(value(during, "process_threads").value(), 1.0);
  EXPECT_GE(value(during, "process_cpu_seconds_total").value(), 0.0);
  const double now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  const double started = value(during, "process_start_time_seconds").value();
  EXPECT_LE(started, now + 1);
  EXPECT_GT(started, now - 3600) << "this test process started within the hour";
  EXPECT_EQ(testlib::find_family(during, "process_cpu_seconds_total")->type, prometheus::MetricType::Counter);
}

}  // namespace
}  // namespace eddy::metrics
