#include "init_streams.h"

#include "eddy/base/log.h"

namespace eddy::app {

result<void, std::string> create_init_streams(core::stream_registry& registry, const config::settings& settings) {
  auto logger = log::get("app");
  const core::stream_scope scope{settings.account_id, settings.region};
  for (const auto& want : settings.init_streams) {
    const auto mode = want.on_demand ? core::stream_mode::on_demand : core::stream_mode::provisioned;
    if (auto have = registry.get(scope, want.name)) {
      const auto& s = **have;
      const auto open = static_cast<int64_t>(s.open_shard_count());
      if (s.mode != mode || (want.shards && open != *want.shards)) {
        logger->warn("init stream {} exists with {} open shards ({}); left as it is", want.name, open,
                     s.mode == core::stream_mode::on_demand ? "on-demand" : "provisioned");
      }
      continue;
    }
    core::create_stream_spec spec;
    spec.name = want.name;
    spec.shard_count = want.shards ? want.shards : (want.on_demand ? std::nullopt : std::optional<int64_t>(1));
    spec.mode = mode;
    spec.at_once = true;
    if (auto made = registry.create_stream(scope, std::move(spec)); !made) {
      return fail("cannot create init stream " + want.name + ": " + made.error().message);
    }
    logger->info("created init stream {}{}", want.name, want.on_demand ? " (on-demand)" : "");
  }
  for (const auto& want : settings.init_consumers) {
    auto have = registry.get(scope, want.stream);
    if (!have) return fail("cannot register init consumer " + want.name + ": " + have.error().message);
    if ((*have)->consumer(want.name)) continue;
    if (auto made = registry.register_consumer(scope, want.stream, want.name, true); !made) {
      return fail("cannot register init consumer " + want.name + " on " + want.stream + ": " + made.error().message);
    }
    logger->info("registered init consumer {} on stream {}", want.name, want.stream);
  }
  return {};
}

}  // namespace eddy::app
