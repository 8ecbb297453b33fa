#include "fault_injector.h"

#include <prometheus/family.h>

#include <algorithm>

#include "eddy/base/random.h"

namespace eddy::api {
namespace {

// Sebastiano Vigna's splitmix64 finaliser: consecutive inputs give independent-looking outputs, which is
// what lets draw n be computed from n alone, without a shared generator behind a lock.
uint64_t splitmix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

constexpr const char* kKindLabel[4] = {"latency", "internal", "unavailable", "throttle"};

}  // namespace

result<std::unique_ptr<fault_injector>, std::string> fault_injector::make(
    const config::settings& s, std::span<const std::string_view> operations) {
  for (const auto& name : s.fault_ops) {
    if (std::find(operations.begin(), operations.end(), name) == operations.end()) {
      return fail("--fault-ops names '" + name + "', which is not a Kinesis operation Eddy serves");
    }
  }
  if (s.fault_rate <= 0 && s.latency_max_ms <= 0) return std::unique_ptr<fault_injector>();
  const uint64_t seed = s.fault_seed != 0 ? s.fault_seed : (random_u64() | 1);
  std::unique_ptr<fault_injector> f(new fault_injector(s, seed));
  auto& family = prometheus::BuildCounter()
                     .Name("eddy_faults_injected_total")
                     .Help("Errors and added latency injected by --fault-rate and --latency, by operation and type "
                           "(throttle counts refused records in PutRecords)")
                     .Register(*f->registry_);
  f->ops_.resize(operations.size() + 1);  // the last index is the pipeline's "unknown operation"
  for (size_t i = 0; i < operations.size(); ++i) {
    const std::string name(operations[i]);
    per_op& op = f->ops_[i];
    op.on = s.fault_ops.empty() || std::find(s.fault_ops.begin(), s.fault_ops.end(), name) != s.fault_ops.end();
    if (!op.on) continue;
    const bool put = name == "PutRecord" || name == "PutRecords";
    op.per_record = put && (s.fault_types & config::fault_throttle) && s.fault_rate > 0;
    if (s.fault_types & config::fault_internal) op.call_kinds.push_back(kind::internal);
    if (s.fault_types & config::fault_unavailable) op.call_kinds.push_back(kind::unavailable);
    if ((s.fault_types & config::fault_throttle) && !put) op.call_kinds.push_back(kind::throttle);
    for (int k = 0; k < 4; ++k) op.injected[k] = &family.Add({{"operation", name}, {"type", kKindLabel[k]}});
  }
  return f;
}

fault_injector::fault_injector(const config::settings& s, uint64_t seed)
    : rate_(s.fault_rate),
      latency_min_(s.latency_min_ms),
      latency_max_(s.latency_max_ms),
      seed_(seed),
      registry_(std::make_shared<prometheus::Registry>()) {}

uint64_t fault_injector::draw() { return splitmix64(seed_ + next_.fetch_add(1, std::memory_order_relaxed)); }

std::chrono::milliseconds fault_injector::latency(size_t op) {
  per_op& o = ops_[op];
  if (!o.on || latency_max_.count() <= 0) return std::chrono::milliseconds(0);
  const auto span = static_cast<uint64_t>((latency_max_ - latency_min_).count());
  const auto wait = latency_min_ + std::chrono::milliseconds(span == 0 ? 0 : draw() % (span + 1));
  if (wait.count() > 0) o.injected[0]->Increment();
  return wait;
}

fault_injector::kind fault_injector::draw_call(size_t op) {
  per_op& o = ops_[op];
  if (!o.on || o.call_kinds.empty() || rate_ <= 0) return kind::none;
  // One draw decides both whether and which, so each call takes exactly one draw.
  const double u = unit();
  if (u >= rate_) return kind::none;
  const auto pick = std::min(o.call_kinds.size() - 1, static_cast<size_t>(u / rate_ * o.call_kinds.size()));
  const kind k = o.call_kinds[pick];
  o.injected[static_cast<int>(k)]->Increment();
  return k;
}

bool fault_injector::refuse_record(size_t op) {
  per_op& o = ops_[op];
  if (!o.per_record || unit() >= rate_) return false;
  o.injected[static_cast<int>(kind::throttle)]->Increment();
  return true;
}

}  // namespace eddy::api
