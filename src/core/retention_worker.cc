#include "eddy/core/retention_worker.h"

#include "eddy/base/log.h"

namespace eddy::core {

storage::result<sweep_stats> retention_worker::sweep() {
  sweep_stats stats;
  const int64_t now = now_();
  for (const auto& s : registry_.all()) {
    if (s->status == stream_status::creating || s->status == stream_status::deleting) continue;
    const int64_t cutoff = now - int64_t{s->retention_hours} * 3'600'000;
    for (const auto& shard : s->shards) {
      auto actor = shards_.actor(s->uid, shard.index, !shard.open());
      if (!actor) return fail(std::move(actor).error());
      ++stats.shards_checked;
      auto first_kept = shards_.store().seek_time((*actor)->key(), cutoff);
      if (!first_kept) return fail(std::move(first_kept).error());
      const uint64_t keep_from = first_kept->value_or((*actor)->next_position());
      const uint64_t trimmed_to = (*actor)->trim_position();
      if (keep_from <= trimmed_to) continue;
      if (auto r = shards_.store().trim((*actor)->key(), keep_from, cutoff); !r) return fail(std::move(r).error());
      (*actor)->raise_trim_position(keep_from);
      ++stats.shards_trimmed;
      stats.records_expired += keep_from - trimmed_to;
      log::get("core")->debug("retention: {} {} trimmed below position {} ({} records)", s->name,
                              format_shard_id(shard.index), keep_from, keep_from - trimmed_to);
    }
  }
  return stats;
}

}  // namespace eddy::core
