#include "application.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include <array>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <thread>

#include "eddy/api/request_pipeline.h"
#include "eddy/base/log.h"
#include "eddy/base/clock.h"
#include "eddy/base/random.h"
#include "eddy/core/shard_directory.h"
#include "eddy/core/ondemand_scaler.h"
#include "eddy/core/retention_worker.h"
#include "eddy/core/shard_iterator.h"
#include "eddy/core/stream_registry.h"
#include "eddy/storage/key_codec.h"
#include "eddy/frontend/listener.h"
#include "eddy/frontend/tls_context.h"
#include "eddy/storage/log_store.h"

namespace eddy::app {

namespace asio = boost::asio;

namespace {

// The shard-iterator MAC key: made once, then kept in storage so that iterators outlive a restart.
std::optional<std::array<uint8_t, 32>> iterator_key(storage::log_store& store) {
  auto stored = store.meta_get(storage::keys::iterator_key());
  if (!stored) return std::nullopt;
  std::array<uint8_t, 32> key{};
  if (*stored && (*stored)->size() == key.size()) {
    std::memcpy(key.data(), (*stored)->data(), key.size());
    return key;
  }
  for (size_t i = 0; i < key.size(); i += 8) {
    const uint64_t r = random_u64();
    std::memcpy(key.data() + i, &r, 8);
  }
  if (!store.meta_put(storage::keys::iterator_key(), {reinterpret_cast<const char*>(key.data()), key.size()})) {
    return std::nullopt;
  }
  return key;
}

}  // namespace

int run(const config::settings& settings) {
  auto logger = log::get("app");
  const auto started = std::chrono::steady_clock::now();

  std::unique_ptr<storage::log_store> store;
  if (settings.in_memory) {
    store = storage::make_memory_store();
  } else {
    auto opened = storage::open_rocksdb_store(
        settings.data_dir, settings.sync_always ? storage::sync_mode::always : storage::sync_mode::none);
    if (!opened) {
      logger->critical("cannot open storage in {}: {}", settings.data_dir, opened.error().detail);
      return 1;
    }
    store = std::move(opened).value();
  }

  asio::io_context ioc;
  core::registry_options ropts;
  ropts.create_delay = std::chrono::milliseconds(settings.create_stream_ms);
  ropts.delete_delay = std::chrono::milliseconds(settings.delete_stream_ms);
  ropts.update_delay = std::chrono::milliseconds(settings.update_stream_ms);
  ropts.shard_limit = settings.shard_limit;
  ropts.consumer_create_delay = std::chrono::milliseconds(settings.create_consumer_ms);
  ropts.consumer_delete_delay = std::chrono::milliseconds(settings.delete_consumer_ms);
  core::stream_registry registry(*store, ropts, [&ioc](std::chrono::milliseconds delay, std::function<void()> fn) {
    auto timer = std::make_shared<asio::steady_timer>(ioc, delay);
    timer->async_wait([timer, fn = std::move(fn)](boost::system::error_code ec) {
      if (!ec) fn();
    });
  });
  if (auto loaded = registry.load(); !loaded) {
    logger->critical("cannot load streams: {}", loaded.error().message);
    return 1;
  }

  const auto key = iterator_key(*store);
  if (!key) {
    logger->critical("cannot read or store the shard iterator key");
    return 1;
  }
  const core::iterator_codec iterators(*key);
  // Storage calls may block on fsync; they get threads of their own so I/O threads never wait on a disk.
  asio::thread_pool storage_pool(static_cast<size_t>(settings.storage_threads));
  core::shard_directory shards(ioc.get_executor(), storage_pool.get_executor(), *store);
  // A reshard closed a shard: its writer refuses appends from now on (they are routed to the children).
  registry.on_shard_closed([&shards, &logger](uint64_t uid, core::shard_index ix) {
    if (auto a = shards.actor(uid, ix, true); !a) logger->error("cannot seal {}: {}", core::format_shard_id(ix), a.error().detail);
  });

  std::optional<auth::credential_store> credentials;
  if (settings.auth_sigv4) {
    if (settings.credentials_file.empty()) {
      logger->critical("--auth=sigv4 needs --credentials-file");
      return 1;
    }
    auto loaded = auth::credential_store::load(settings.credentials_file);
    if (!loaded) {
      logger->critical("--credentials-file {}", loaded.error());
      return 1;
    }
    credentials = std::move(loaded).value();
    logger->info("strict SigV4: {} access key(s) loaded", credentials->size());
  }
  api::request_pipeline pipeline(registry, shards, iterators, settings, credentials ? &*credentials : nullptr);

  // Retention sweeps run on the storage pool, one at a time, every --retention-check-ms.
  core::retention_worker retention(registry, shards, [] { return now_ms(); });
  asio::steady_timer retention_timer(ioc);
  std::function<void()> schedule_sweep = [&] {
    retention_timer.expires_after(std::chrono::milliseconds(settings.retention_check_ms));
    retention_timer.async_wait([&](boost::system::error_code ec) {
      if (ec) return;
      asio::post(storage_pool, [&] {
        if (auto r = retention.sweep(); !r) logger->error("retention sweep failed: {}", r.error().detail);
        asio::post(ioc, schedule_sweep);  // the timer belongs to the I/O side
      });
    });
  };
  schedule_sweep();

  // ON_DEMAND streams grow where writes stay hot (core/ondemand_scaler.h).
  core::ondemand_scaler scaler(registry, shards);
  asio::steady_timer scale_timer(ioc);
  std::function<void()> schedule_scale = [&] {
    if (settings.on_demand_scale_ms <= 0) return;
    scale_timer.expires_after(std::chrono::milliseconds(settings.on_demand_scale_ms));
    scale_timer.async_wait([&](boost::system::error_code ec) {
      if (ec) return;
      scaler.tick(now_ms());
      schedule_scale();
    });
  };
  schedule_scale();
  frontend::limits lim;
  lim.max_body_bytes = settings.max_body_bytes;
  lim.max_connections = settings.max_connections;
  frontend::listener listener(ioc, pipeline, lim);
  auto bound = listener.bind(settings.host, settings.port);
  if (!bound) {
    logger->critical("{}", bound.error());
    return 1;
  }
  std::optional<asio::ip::tcp::endpoint> tls_bound;
  if (settings.tls_port >= 0) {
    frontend::tls_files files{settings.tls_cert, settings.tls_key};
    if (files.cert.empty() != files.key.empty()) {
      logger->critical("--tls-cert and --tls-key go together");
      return 1;
    }
    if (files.cert.empty()) {
      // In memory there is no data dir to keep the certificate in; the temp dir lets restarts reuse it.
      const std::string dir = settings.in_memory ? (std::filesystem::temp_directory_path() / "eddy-tls").string()
                                                 : settings.data_dir + "/tls";
      auto made = frontend::ensure_self_signed(dir);
      if (!made) {
        logger->critical("{}", made.error());
        return 1;
      }
      files = std::move(made).value();
      logger->info("TLS with the self-signed certificate {}", files.cert);
    }
    auto b = listener.bind_tls(settings.host, static_cast<uint16_t>(settings.tls_port), files.cert, files.key);
    if (!b) {
      logger->critical("{}", b.error());
      return 1;
    }
    tls_bound = b.value();
  }
  listener.start();
  pipeline.set_ready();

  asio::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](boost::system::error_code ec, int sig) {
    if (ec) return;
    logger->info("signal {} received: draining", sig);
    retention_timer.cancel();
    scale_timer.cancel();
    listener.stop([&ioc] { ioc.stop(); });
  });

  const auto& ep = bound.value();
  const std::string host = ep.address().is_v6() ? "[" + ep.address().to_string() + "]" : ep.address().to_string();
  // The one line on stdout, for scripts and test fixtures to parse.
  std::printf("eddy listening on http://%s:%u\n", host.c_str(), static_cast<unsigned>(ep.port()));
  if (tls_bound) std::printf("eddy listening on https://%s:%u\n", host.c_str(), static_cast<unsigned>(tls_bound->port()));
  std::fflush(stdout);
  logger->info("ready in {} ms ({}; data in {})",
               std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count(),
               settings.in_memory ? "in memory" : "RocksDB", settings.in_memory ? "-" : settings.data_dir);

  const int threads = settings.threads > 0 ? settings.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (auto& t : pool) t.join();
  storage_pool.join();
  logger->info("stopped");
  return 0;
}

}  // namespace eddy::app
