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

// A figure the engine reports about itself (RocksDB's properties), read when /metrics is scraped.
struct engine_stat {
  std::string_view name;           // the metric family, e.g. "eddy_rocksdb_running_compactions"
  std::string_view help;
  bool counter = false;            // a running total rather than a level
  std::string_view column_family;  // empty: the whole engine
  double value = 0;
};

class storage_probe;

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
  // About how many bytes the entries with begin <= key < end take (RocksDB: estimated for its files,
  // counted for its memtables; memory: counted). For scrapes, never for decisions.
  virtual result<uint64_t> approximate_bytes(cf family, std::string_view begin, std::string_view end) = 0;
  virtual std::vector<engine_stat> stats() const { return {}; }
};

// `probe`, when given, hears the WAL's fsync times from inside RocksDB.
result<std::unique_ptr<kv_engine>> open_rocksdb_engine(const std::string& dir,
                                                       std::shared_ptr<storage_probe> probe = nullptr);
std::unique_ptr<kv_engine> make_memory_engine();

}  // namespace eddy::storage
