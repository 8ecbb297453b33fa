#include "eddy/core/ondemand_scaler.h"

#include "eddy/base/log.h"
#include "eddy/core/reshard.h"

namespace eddy::core {

int ondemand_scaler::tick(int64_t now_ms) {
  int splits = 0;
  std::map<std::pair<uint64_t, uint32_t>, sample> next;
  for (const auto& s : registry_.all()) {
    if (s->mode != stream_mode::on_demand || s->status != stream_status::active) continue;
    for (const auto& shard : s->shards) {
      if (!shard.open()) continue;
      auto actor = shards_.existing(s->uid, shard.index);
      if (!actor) continue;  // never written since start: not hot
      const std::pair<uint64_t, uint32_t> key{s->uid, shard.index.get()};
      sample now{now_ms, actor->appended_records(), actor->appended_bytes(), 0};
      auto prev = samples_.find(key);
      if (prev != samples_.end() && now_ms > prev->second.at_ms) {
        const double secs = static_cast<double>(now_ms - prev->second.at_ms) / 1000.0;
        const double records = static_cast<double>(now.records - prev->second.records) / secs;
        const double bytes = static_cast<double>(now.bytes - prev->second.bytes) / secs;
        const bool hot = records > static_cast<double>(opts_.hot_records_per_s) ||
                         bytes > static_cast<double>(opts_.hot_bytes_per_s);
        now.hot_ticks = hot ? prev->second.hot_ticks + 1 : 0;
      }
      if (now.hot_ticks >= opts_.sustained_ticks && shard.range.end - shard.range.start >= 4) {
        const u128 middle = shard.range.start + (shard.range.end - shard.range.start) / 2 + 1;
        auto r = registry_.update_stream(
            s->scope, s->name,
            [ix = shard.index, middle, now_ms](stream_meta& m, const account_limits& account) {
              return split_shard(m, ix, middle, now_ms, account);
            },
            true);
        if (r) {
          ++splits;
          log::get("core")->info("on-demand stream {}: {} stayed hot, split in two", s->name,
                                 format_shard_id(shard.index));
          break;  // one change per stream per tick: the stream is UPDATING now
        }
        log::get("core")->debug("on-demand stream {}: {} not split: {}", s->name, format_shard_id(shard.index),
                                r.error().message);
        now.hot_ticks = 0;
      }
      next[key] = now;
    }
  }
  samples_ = std::move(next);
  return splits;
}

}  // namespace eddy::core
