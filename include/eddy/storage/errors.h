#pragma once
#include <string>

#include "eddy/base/result.h"

namespace eddy::storage {

enum class errc {
  io_error,    // the disk or the OS failed
  corruption,  // stored bytes are not what we wrote
  busy,        // another process holds the database
  sealed,      // the log is closed to appends (a reshard closed its shard); route the records again
  queue_full,  // the shard has more records waiting to be written than --max-shard-queue-bytes; retry later
};

struct error {
  errc code;
  std::string detail;
};

template <class T>
using result = eddy::result<T, error>;

}  // namespace eddy::storage
