#pragma once
// Histogram bucket boundaries shared by the probes, so that latencies from different modules can be
// compared bucket for bucket.
#include <prometheus/histogram.h>

namespace eddy::metrics {

// Seconds, 50 µs to 10 s: a Kinesis call on loopback takes from tens of microseconds (DescribeLimits) to
// milliseconds (a synced PutRecords); an fsync on a slow disk takes up to seconds.
inline const prometheus::Histogram::BucketBoundaries& latency_buckets() {
  static const prometheus::Histogram::BucketBoundaries b{0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                         0.01,    0.025,  0.05,    0.1,    0.25,  0.5,   1,
                                                         2.5,     5,      10};
  return b;
}

// Bytes, 256 B to 16 MiB in powers of four: one record up to a full PutRecords request or chunk.
inline const prometheus::Histogram::BucketBoundaries& size_buckets() {
  static const prometheus::Histogram::BucketBoundaries b{256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304,
                                                         16777216};
  return b;
}

// Counts (records per chunk), 1 to 10,000.
inline const prometheus::Histogram::BucketBoundaries& count_buckets() {
  static const prometheus::Histogram::BucketBoundaries b{1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 10000};
  return b;
}

}  // namespace eddy::metrics
