// The eddy binary: settings from flags, environment and file, one broker, and SIGTERM/SIGINT to stop it.
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <chrono>
#include <cstdio>

#include "eddy/base/log.h"
#include "eddy/config/config.h"
#include "eddy/embedded/broker.h"
#include "open_files.h"
#include "ready_file.h"

int main(int argc, char** argv) {
  const auto started = std::chrono::steady_clock::now();
  const auto parsed = eddy::config::parse(argc, argv);
  if (parsed.exit_now) {
    std::fputs(parsed.text.c_str(), parsed.exit_code == 0 ? stdout : stderr);
    return parsed.exit_code;
  }
  const auto& settings = parsed.values;
  // Before the broker starts (which sets it again), so that the lines about the settings follow it.
  eddy::log::configure(settings.log_level, settings.log_json ? eddy::log::format::json : eddy::log::format::text);
  auto logger = eddy::log::get("app");
  if (!settings.config_file.empty()) logger->info("settings read from {}", settings.config_file);
  eddy::app::raise_open_file_limit(settings.max_connections);

  // Installed before the start, so a SIGTERM during it is queued, not fatal.
  boost::asio::io_context signals_ctx;
  boost::asio::signal_set signals(signals_ctx, SIGINT, SIGTERM);

  eddy::embedded::broker broker(settings);
  if (auto started_ok = broker.start(); !started_ok) {
    logger->critical("{}", started_ok.error());
    return 1;
  }
  std::vector<std::string> endpoints{broker.endpoint()};
  if (auto tls = broker.tls_endpoint()) endpoints.push_back(*tls);
  // The file first: whoever reads the stdout line may look for the file next.
  if (!settings.ready_file.empty()) {
    if (auto w = eddy::app::write_ready_file(settings.ready_file, endpoints); !w) {
      logger->critical("{}", w.error());
      return 1;
    }
  }
  // The one line per listener on stdout, for scripts and test fixtures to parse.
  for (const auto& e : endpoints) std::printf("eddy listening on %s\n", e.c_str());
  std::fflush(stdout);
  logger->info("ready in {} ms ({}; data in {})",
               std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count(),
               settings.in_memory ? "in memory" : "RocksDB", settings.in_memory ? "-" : settings.data_dir);

  signals.async_wait([&](boost::system::error_code ec, int sig) {
    if (!ec) logger->info("signal {} received: draining", sig);
  });
  signals_ctx.run();
  // A stale file would tell the next reader a dead broker is ready.
  if (!settings.ready_file.empty()) std::remove(settings.ready_file.c_str());
  broker.stop();
  return 0;
}
