#pragma once
// log_store: the storage interface. Two implementations: RocksDB (durable, in --data-dir) and memory
// (--in-memory, for test fixtures). Nothing above this module sees rocksdb::Status.
//
// Thread safety: every method may be called from any thread; implementations synchronise internally.
// Lifecycle: opened by the application before the core services start, closed after they stop.
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "eddy/base/result.h"

namespace eddy::storage {

enum class errc {
  io_error,    // the disk or the OS failed
  corruption,  // stored bytes are not what we wrote
  busy,        // another process holds the database
};

struct error {
  errc code;
  std::string detail;
};

template <class T>
using result = eddy::result<T, error>;

using key_value = std::pair<std::string, std::string>;

class log_store {
 public:
  virtual ~log_store() = default;

  // Metadata: small records (streams, later consumers), written durably one at a time.
  virtual result<void> meta_put(std::string_view key, std::string_view value) = 0;
  virtual result<void> meta_erase(std::string_view key) = 0;
  // Every record whose key starts with `prefix`, in key order.
  virtual result<std::vector<key_value>> meta_scan(std::string_view prefix) = 0;
};

// Opens (creating if needed) the RocksDB database in `dir`.
result<std::unique_ptr<log_store>> open_rocksdb_store(const std::string& dir);

std::unique_ptr<log_store> make_memory_store();

}  // namespace eddy::storage
