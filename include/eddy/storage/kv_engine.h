#pragma once
// kv_engine: the ordered key-value primitives that log_store is written on, with two implementations
// (RocksDB and an in-memory map). Keeping the log logic above this line means the durable and the fixture
// stores cannot drift apart in behaviour.
//
// Thread safety: every method may be called from any thread.
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "eddy/storage/errors.h"

namespace eddy::storage {

// Column families. Their key layouts are drawn in key_codec.h.
enum class cf : uint8_t { meta = 0, log = 1, time = 2 };

struct write_op {
  enum kind : uint8_t { put, erase, erase_range } op;
  cf family;
  std::string key;    // erase_range: begin (inclusive)
  std::string value;  // erase_range: end (exclusive)
};

// Called for each entry in key order; return false to stop.
using visitor = std::function<bool(std::string_view key, std::string_view value)>;

class kv_engine {
 public:
  virtual ~kv_engine() = default;

  // Applies every op atomically; with sync the call returns only once the write is on stable storage.
  virtual result<void> commit(std::span<const write_op> ops, bool sync) = 0;
  virtual result<std::optional<std::string>> get(cf family, std::string_view key) = 0;
  // Entries with begin <= key < end, ascending.
  virtual result<void> scan(cf family, std::string_view begin, std::string_view end, const visitor& fn) = 0;
  // The last entry with lower <= key <= at, if any.
  virtual result<std::optional<std::pair<std::string, std::string>>> seek_prev(cf family, std::string_view at,
                                                                              std::string_view lower) = 0;
};

result<std::unique_ptr<kv_engine>> open_rocksdb_engine(const std::string& dir);
std::unique_ptr<kv_engine> make_memory_engine();

}  // namespace eddy::storage
