#include <array>
#include <map>
#include <mutex>

#include "eddy/storage/kv_engine.h"

namespace eddy::storage {
namespace {

// Ordered maps under one mutex: the fixture engine, quick to start and gone at exit.
class memory_engine final : public kv_engine {
 public:
  result<void> commit(std::span<const write_op> ops, bool) override {
    std::lock_guard lock(mu_);
    for (const auto& op : ops) {
      auto& m = map(op.family);
      switch (op.op) {
        case write_op::put: m[op.key] = op.value; break;
        case write_op::erase: m.erase(op.key); break;
        case write_op::erase_range: m.erase(m.lower_bound(op.key), m.lower_bound(op.value)); break;
      }
    }
    return {};
  }

  result<std::optional<std::string>> get(cf family, std::string_view key) override {
    std::lock_guard lock(mu_);
    auto& m = map(family);
    auto it = m.find(key);
    if (it == m.end()) return std::optional<std::string>{};
    return std::optional<std::string>{it->second};
  }

  result<void> scan(cf family, std::string_view begin, std::string_view end, const visitor& fn) override {
    // Visitors only copy what they keep, so visiting under the lock is short.
    std::lock_guard lock(mu_);
    auto& m = map(family);
    for (auto it = m.lower_bound(begin); it != m.end() && it->first < end; ++it) {
      if (!fn(it->first, it->second)) break;
    }
    return {};
  }

  result<std::optional<std::pair<std::string, std::string>>> seek_prev(cf family, std::string_view at,
                                                                      std::string_view lower) override {
    std::lock_guard lock(mu_);
    auto& m = map(family);
    auto it = m.upper_bound(at);
    if (it == m.begin()) return std::optional<std::pair<std::string, std::string>>{};
    --it;
    if (it->first < lower) return std::optional<std::pair<std::string, std::string>>{};
    return std::optional<std::pair<std::string, std::string>>{*it};
  }

  result<uint64_t> approximate_bytes(cf family, std::string_view begin, std::string_view end) override {
    std::lock_guard lock(mu_);
    auto& m = map(family);
    uint64_t bytes = 0;
    for (auto it = m.lower_bound(begin); it != m.end() && it->first < end; ++it) {
      bytes += it->first.size() + it->second.size();
    }
    return bytes;
  }

 private:
  std::map<std::string, std::string, std::less<>>& map(cf family) { return maps_[static_cast<size_t>(family)]; }

  std::mutex mu_;
  std::array<std::map<std::string, std::string, std::less<>>, 3> maps_;
};

}  // namespace

std::unique_ptr<kv_engine> make_memory_engine() { return std::make_unique<memory_engine>(); }

}  // namespace eddy::storage
