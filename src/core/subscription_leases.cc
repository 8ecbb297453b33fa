#include "eddy/core/subscription_leases.h"

namespace eddy::core {

bool subscription_leases::acquire(const std::string& key, int64_t now_ms, const std::shared_ptr<lease_holder>& holder) {
  std::shared_ptr<lease_holder> previous;
  {
    std::lock_guard lock(mu_);
    auto it = leases_.find(key);
    if (it != leases_.end()) {
      previous = it->second.holder.lock();
      if (previous && now_ms - it->second.since_ms < exclusive_ms) return false;
    }
    leases_[key] = lease{now_ms, holder, holder.get()};
  }
  if (previous) previous->taken_over();
  return true;
}

void subscription_leases::release(const std::string& key, const lease_holder* holder) {
  std::lock_guard lock(mu_);
  auto it = leases_.find(key);
  if (it != leases_.end() && it->second.id == holder) leases_.erase(it);
}

size_t subscription_leases::active() const {
  std::lock_guard lock(mu_);
  return leases_.size();
}

std::vector<subscription_sample> subscription_leases::samples() const {
  std::vector<subscription_sample> out;
  std::lock_guard lock(mu_);
  out.reserve(leases_.size());
  for (const auto& [key, l] : leases_) {
    const auto holder = l.holder.lock();
    if (!holder) continue;
    if (auto s = holder->sample()) out.push_back(std::move(*s));
  }
  return out;
}

}  // namespace eddy::core
