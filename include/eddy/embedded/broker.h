#pragma once
// eddy::embedded::broker: a whole Eddy broker inside the calling process. The `eddy` binary is this class
// plus flags, signals and the stdout line; a C++ test links eddy::embedded and gets the same broker on an
// ephemeral port in a few milliseconds, with no child process to find and reap.
//
//   eddy::embedded::broker b;            // in memory, 127.0.0.1, a free port
//   if (auto r = b.start(); !r) FAIL() << r.error();
//   point an SDK at b.endpoint(), then b.stop() (or let the destructor do it)
//
// Threads: start() and stop() are called from one owning thread. Between them the broker serves on
// threads of its own (settings.threads I/O threads and settings.storage_threads storage threads).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "eddy/base/result.h"
#include "eddy/config/config.h"

namespace eddy::embedded {

class broker {
 public:
  // What a fixture wants: nothing on disk, loopback, a port the OS picks, two I/O threads, warnings only.
  static config::settings fixture_settings();

  explicit broker(config::settings settings = fixture_settings());
  ~broker();  // stop()
  broker(const broker&) = delete;
  broker& operator=(const broker&) = delete;

  // Opens storage, loads streams, creates the init streams and consumers, binds and serves. Returns once
  // GET /ready answers 200; the error names what failed (storage, a bad init stream, a busy port).
  result<void, std::string> start();

  // Stops accepting, lets requests in flight finish, joins every thread and closes storage. Idempotent.
  void stop();

  // "http://127.0.0.1:38211"; valid after start().
  std::string endpoint() const;
  uint16_t port() const;
  // "https://127.0.0.1:38212" when settings.tls_port >= 0.
  std::optional<std::string> tls_endpoint() const;

  const config::settings& settings() const;

 private:
  struct running;
  config::settings settings_;
  std::unique_ptr<running> run_;
};

}  // namespace eddy::embedded
