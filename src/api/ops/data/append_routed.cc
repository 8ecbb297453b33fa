#include "append_routed.h"

#include <algorithm>
#include <map>

#include "../../async_bridge.h"

namespace eddy::api::ops {
namespace {

// A reshard seals each parent once; more rounds than this mean something else is wrong.
constexpr int kMaxRounds = 8;

}  // namespace

boost::asio::awaitable<op_result<std::vector<placed_record>>> append_routed(
    op_context& ctx, std::shared_ptr<const core::stream_meta>& stream, std::vector<core::append_record> records,
    const record_router& router, const stream_reloader& reload) {
  std::vector<placed_record> placed(records.size());
  std::vector<size_t> pending(records.size());
  for (size_t i = 0; i < pending.size(); ++i) pending[i] = i;

  for (int round = 0; !pending.empty(); ++round) {
    if (round > 0) {
      auto fresh = reload();
      if (!fresh) co_return fail(std::move(fresh).error());
      stream = *fresh;
    }
    // One group per shard, records in index order within it.
    std::map<uint32_t, size_t> group_of;
    append_job job;
    std::vector<std::vector<size_t>> members;
    for (size_t i : pending) {
      auto shard = router(*stream, i);
      if (!shard) co_return fail(std::move(shard).error());
      const auto ix = (*shard)->index;
      auto [it, inserted] = group_of.emplace(ix.get(), job.groups.size());
      if (inserted) {
        auto actor = ctx.shards.actor(stream->uid, ix);
        if (!actor) co_return fail(aws_error{"InternalFailure", 500, actor.error().detail});
        job.groups.push_back({*actor, {}});
        members.emplace_back();
      }
      job.groups[it->second].records.push_back(std::move(records[i]));
      members[it->second].push_back(i);
    }
    std::vector<uint32_t> group_shard(job.groups.size());
    for (const auto& [shard, g] : group_of) group_shard[g] = shard;

    co_await run(job);
    pending.clear();
    for (size_t g = 0; g < job.outcomes.size(); ++g) {
      const auto& outcome = *job.outcomes[g];
      const bool sealed = !outcome && outcome.error().code == storage::errc::sealed;
      if (sealed && round + 1 < kMaxRounds && job.returned[g].size() == members[g].size()) {
        for (size_t k = 0; k < members[g].size(); ++k) {
          records[members[g][k]] = std::move(job.returned[g][k]);
          pending.push_back(members[g][k]);
        }
        continue;
      }
      for (size_t k = 0; k < members[g].size(); ++k) {
        placed_record& p = placed[members[g][k]];
        p.shard = core::shard_index{group_shard[g]};
        if (outcome) {
          p.position = outcome->first_position + k;
          p.ok = true;
        } else {
          p.throttled = outcome.error().code == storage::errc::queue_full;
        }
      }
    }
    std::sort(pending.begin(), pending.end());  // keep each key's records in request order
  }
  co_return placed;
}

}  // namespace eddy::api::ops
