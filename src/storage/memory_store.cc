#include <map>
#include <mutex>

#include "eddy/storage/log_store.h"

namespace eddy::storage {
namespace {

// Everything in one ordered map under a mutex: the fixture store, fast to start and gone at exit.
class memory_store final : public log_store {
 public:
  result<void> meta_put(std::string_view key, std::string_view value) override {
    std::lock_guard lock(mu_);
    meta_[std::string(key)] = std::string(value);
    return {};
  }

  result<void> meta_erase(std::string_view key) override {
    std::lock_guard lock(mu_);
    meta_.erase(std::string(key));
    return {};
  }

  result<std::vector<key_value>> meta_scan(std::string_view prefix) override {
    std::lock_guard lock(mu_);
    std::vector<key_value> out;
    for (auto it = meta_.lower_bound(std::string(prefix)); it != meta_.end() && it->first.starts_with(prefix);
         ++it) {
      out.emplace_back(it->first, it->second);
    }
    return out;
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::string, std::less<>> meta_;
};

}  // namespace

std::unique_ptr<log_store> make_memory_store() { return std::make_unique<memory_store>(); }

}  // namespace eddy::storage
