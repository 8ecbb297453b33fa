#include "eddy/core/shard_directory.h"

#include "eddy/storage/chunk_codec.h"

namespace eddy::core {

shard_directory::shard_directory(boost::asio::any_io_executor io, boost::asio::any_io_executor storage_executor,
                                 storage::log_store& store)
    : io_(std::move(io)), storage_(std::move(storage_executor)), store_(store) {}

storage::result<std::shared_ptr<shard_actor>> shard_directory::actor(uint64_t stream_uid, shard_index shard,
                                                                     bool closed) {
  std::lock_guard lock(mu_);
  auto& slot = actors_[{stream_uid, shard.get()}];
  if (slot) {
    if (closed && !slot->sealed()) slot->seal();
    return slot;
  }
  const storage::shard_key key{stream_uid, shard.get()};
  auto tail = store_.load_tail(key);
  if (!tail) {
    actors_.erase({stream_uid, shard.get()});
    return fail(std::move(tail).error());
  }
  auto first = store_.first_position(key);
  if (!first) {
    actors_.erase({stream_uid, shard.get()});
    return fail(std::move(first).error());
  }
  // Positions start at 1: position 0 is the shard's StartingSequenceNumber, below every record.
  const storage::shard_tail t = tail->value_or(storage::shard_tail{1, 0});
  slot = std::make_shared<shard_actor>(io_, storage_, store_, key, t, first->value_or(t.next_position), closed,
                                       max_queue_bytes_);
  return slot;
}

std::shared_ptr<shard_actor> shard_directory::existing(uint64_t stream_uid, shard_index shard) {
  std::lock_guard lock(mu_);
  auto it = actors_.find({stream_uid, shard.get()});
  return it == actors_.end() ? nullptr : it->second;
}

void shard_directory::forget(uint64_t stream_uid) {
  std::lock_guard lock(mu_);
  actors_.erase(actors_.lower_bound({stream_uid, 0}), actors_.upper_bound({stream_uid, UINT32_MAX}));
}

storage::result<read_batch> shard_directory::read(const shard_actor& actor, uint64_t from, size_t limit,
                                                  size_t max_bytes, int64_t min_arrival_ms) {
  const uint64_t end = actor.next_position();
  from = std::max(from, actor.trim_position());
  read_batch out{{}, from};
  if (from >= end || limit == 0) return out;
  auto chunks = store_.read(actor.key(), from, max_bytes);
  if (!chunks) return fail(std::move(chunks).error());
  for (const auto& c : *chunks) {
    const auto header = storage::read_chunk_header(c.bytes);
    auto records = storage::decode_chunk(c.bytes);
    if (!header || !records) return fail(storage::error{storage::errc::corruption, "malformed chunk"});
    for (size_t i = 0; i < records->size(); ++i) {
      const uint64_t pos = c.first_position + i;
      if (pos < out.next_position) continue;
      if (pos >= end || out.records.size() >= limit) return out;
      const auto& r = (*records)[i];
      if (!out.records.empty() && out.bytes + r.data.size() > max_bytes) return out;
      out.next_position = pos + 1;
      if (header->arrival_ms < min_arrival_ms) continue;
      out.bytes += r.data.size() + r.partition_key.size();
      out.records.push_back({pos, header->arrival_ms, std::string(r.partition_key), std::string(r.data)});
    }
  }
  return out;
}

}  // namespace eddy::core
