#include "eddy/embedded/broker.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include <array>
#include <cstring>
#include <filesystem>
#include <thread>

#include "eddy/api/request_pipeline.h"
#include "eddy/base/clock.h"
#include "eddy/base/log.h"
#include "eddy/base/random.h"
#include "eddy/core/ondemand_scaler.h"
#include "eddy/core/retention_worker.h"
#include "eddy/core/shard_directory.h"
#include "eddy/core/shard_iterator.h"
#include "eddy/core/stream_registry.h"
#include "eddy/frontend/listener.h"
#include "eddy/frontend/tls_context.h"
#include "eddy/storage/key_codec.h"
#include "eddy/storage/log_store.h"
#include "init_streams.h"

namespace eddy::embedded {

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

std::string url(const char* scheme, const asio::ip::tcp::endpoint& ep) {
  const std::string host = ep.address().is_v6() ? "[" + ep.address().to_string() + "]" : ep.address().to_string();
  return std::string(scheme) + "://" + host + ":" + std::to_string(ep.port());
}

}  // namespace

// Everything a started broker owns. Members are declared in the order they are built, so they are
// destroyed in reverse: the listener before the pipeline, the registry before storage.
struct broker::running {
  std::unique_ptr<storage::log_store> store;
  asio::io_context ioc;
  std::optional<core::stream_registry> registry;
  std::optional<core::iterator_codec> iterators;
  // Storage calls may block on fsync; they get threads of their own so I/O threads never wait on a disk.
  std::optional<asio::thread_pool> storage_pool;
  std::optional<core::shard_directory> shards;
  std::optional<auth::credential_store> credentials;
  std::optional<api::request_pipeline> pipeline;
  std::optional<core::retention_worker> retention;
  std::optional<asio::steady_timer> retention_timer;
  std::function<void()> schedule_sweep;
  std::optional<core::ondemand_scaler> scaler;
  std::optional<asio::steady_timer> scale_timer;
  std::function<void()> schedule_scale;
  std::optional<frontend::listener> listener;
  asio::ip::tcp::endpoint bound;
  std::optional<asio::ip::tcp::endpoint> tls_bound;
  std::vector<std::thread> threads;
};

config::settings broker::fixture_settings() {
  config::settings s;
  s.in_memory = true;
  s.port = 0;
  s.threads = 2;
  s.storage_threads = 2;
  s.log_level = "warn";  // a test's output is for its own failures
  return s;
}

broker::broker(config::settings settings) : settings_(std::move(settings)) {}

broker::~broker() { stop(); }

const config::settings& broker::settings() const { return settings_; }

result<void, std::string> broker::start() {
  if (run_) return fail(std::string("already started"));
  const auto& cfg = settings_;
  // Logging is per process: the last broker started sets it.
  log::configure(cfg.log_level, cfg.log_json ? log::format::json : log::format::text);
  auto logger = log::get("app");
  run_ = std::make_unique<running>();
  auto& r = *run_;
  // A failed start leaves nothing running: `run_` is dropped, and with it whatever was built.
  auto abandon = [this](std::string why) {
    run_.reset();
    return fail(std::move(why));
  };

  if (auto checked = api::request_pipeline::check_settings(cfg); !checked) return abandon(checked.error());
  if (cfg.in_memory) {
    r.store = storage::make_memory_store();
  } else {
    auto opened = storage::open_rocksdb_store(cfg.data_dir,
                                              cfg.sync_always ? storage::sync_mode::always : storage::sync_mode::none);
    if (!opened) return abandon("cannot open storage in " + cfg.data_dir + ": " + opened.error().detail);
    r.store = std::move(opened).value();
  }

  core::registry_options ropts;
  ropts.create_delay = std::chrono::milliseconds(cfg.create_stream_ms);
  ropts.delete_delay = std::chrono::milliseconds(cfg.delete_stream_ms);
  ropts.update_delay = std::chrono::milliseconds(cfg.update_stream_ms);
  ropts.shard_limit = cfg.shard_limit;
  ropts.consumer_create_delay = std::chrono::milliseconds(cfg.create_consumer_ms);
  ropts.consumer_delete_delay = std::chrono::milliseconds(cfg.delete_consumer_ms);
  r.registry.emplace(*r.store, ropts, [&ioc = r.ioc](std::chrono::milliseconds delay, std::function<void()> fn) {
    auto timer = std::make_shared<asio::steady_timer>(ioc, delay);
    timer->async_wait([timer, fn = std::move(fn)](boost::system::error_code ec) {
      if (!ec) fn();
    });
  });
  if (auto loaded = r.registry->load(); !loaded) return abandon("cannot load streams: " + loaded.error().message);
  if (auto made = app::create_init_streams(*r.registry, cfg); !made) return abandon(made.error());

  const auto key = iterator_key(*r.store);
  if (!key) return abandon("cannot read or store the shard iterator key");
  r.iterators.emplace(*key);
  r.storage_pool.emplace(static_cast<size_t>(cfg.storage_threads));
  r.shards.emplace(r.ioc.get_executor(), r.storage_pool->get_executor(), *r.store);
  r.shards->set_max_queue_bytes(cfg.max_shard_queue_bytes);
  // A reshard closed a shard: its writer refuses appends from now on (they are routed to the children).
  r.registry->on_shard_closed([&shards = *r.shards, logger](uint64_t uid, core::shard_index ix) {
    if (auto a = shards.actor(uid, ix, true); !a) {
      logger->error("cannot seal {}: {}", core::format_shard_id(ix), a.error().detail);
    }
  });

  if (cfg.auth_sigv4) {
    if (cfg.credentials_file.empty()) return abandon("--auth=sigv4 needs --credentials-file");
    auto loaded = auth::credential_store::load(cfg.credentials_file);
    if (!loaded) return abandon("--credentials-file " + loaded.error());
    r.credentials = std::move(loaded).value();
    logger->info("strict SigV4: {} access key(s) loaded", r.credentials->size());
  }
  r.pipeline.emplace(*r.registry, *r.shards, *r.iterators, settings_, r.credentials ? &*r.credentials : nullptr);

  // Retention sweeps run on the storage pool, one at a time, every --retention-check-ms.
  r.retention.emplace(*r.registry, *r.shards, [] { return now_ms(); });
  r.retention_timer.emplace(r.ioc);
  r.schedule_sweep = [&r, logger, every = std::chrono::milliseconds(cfg.retention_check_ms)] {
    r.retention_timer->expires_after(every);
    r.retention_timer->async_wait([&r, logger](boost::system::error_code ec) {
      if (ec) return;
      asio::post(*r.storage_pool, [&r, logger] {
        if (auto s = r.retention->sweep(); !s) logger->error("retention sweep failed: {}", s.error().detail);
        asio::post(r.ioc, r.schedule_sweep);  // the timer belongs to the I/O side
      });
    });
  };
  r.schedule_sweep();

  // ON_DEMAND streams grow where writes stay hot (core/ondemand_scaler.h).
  r.scaler.emplace(*r.registry, *r.shards);
  r.scale_timer.emplace(r.ioc);
  r.schedule_scale = [&r, every = std::chrono::milliseconds(cfg.on_demand_scale_ms)] {
    if (every.count() <= 0) return;
    r.scale_timer->expires_after(every);
    r.scale_timer->async_wait([&r](boost::system::error_code ec) {
      if (ec) return;
      r.scaler->tick(now_ms());
      r.schedule_scale();
    });
  };
  r.schedule_scale();

  frontend::limits lim;
  lim.max_body_bytes = cfg.max_body_bytes;
  lim.max_connections = cfg.max_connections;
  lim.max_header_bytes = cfg.max_header_bytes;
  lim.max_header_count = cfg.max_header_count;
  lim.max_h2_streams = cfg.max_h2_streams;
  lim.idle_timeout_ms = cfg.idle_timeout_ms;
  lim.request_timeout_ms = cfg.request_timeout_ms;
  r.listener.emplace(r.ioc, *r.pipeline, lim);
  auto bound = r.listener->bind(cfg.host, cfg.port);
  if (!bound) return abandon(bound.error());
  r.bound = bound.value();
  if (cfg.tls_port >= 0) {
    frontend::tls_files files{cfg.tls_cert, cfg.tls_key};
    if (files.cert.empty() != files.key.empty()) return abandon("--tls-cert and --tls-key go together");
    if (files.cert.empty()) {
      // In memory there is no data dir to keep the certificate in; the temp dir lets restarts reuse it.
      const std::string dir = cfg.in_memory ? (std::filesystem::temp_directory_path() / "eddy-tls").string()
                                            : cfg.data_dir + "/tls";
      auto made = frontend::ensure_self_signed(dir);
      if (!made) return abandon(made.error());
      files = std::move(made).value();
      logger->info("TLS with the self-signed certificate {}", files.cert);
    }
    auto b = r.listener->bind_tls(cfg.host, static_cast<uint16_t>(cfg.tls_port), files.cert, files.key);
    if (!b) return abandon(b.error());
    r.tls_bound = b.value();
  }
  r.listener->start();
  r.pipeline->set_ready();

  const int n = cfg.threads > 0 ? cfg.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  for (int i = 0; i < n; ++i) r.threads.emplace_back([&ioc = r.ioc] { ioc.run(); });
  return {};
}

void broker::stop() {
  if (!run_) return;
  auto& r = *run_;
  // The drain runs on the I/O side, which owns the timers and the listener.
  asio::post(r.ioc, [&r] {
    r.retention_timer->cancel();
    r.scale_timer->cancel();
    r.listener->stop([&r] { r.ioc.stop(); });
  });
  for (auto& t : r.threads) t.join();
  r.storage_pool->join();
  run_.reset();
  log::get("app")->info("stopped");
}

std::string broker::endpoint() const { return run_ ? url("http", run_->bound) : std::string(); }

uint16_t broker::port() const { return run_ ? run_->bound.port() : 0; }

std::optional<std::string> broker::tls_endpoint() const {
  if (!run_ || !run_->tls_bound) return std::nullopt;
  return url("https", *run_->tls_bound);
}

}  // namespace eddy::embedded
