#include "eddy/storage/log_store.h"

#include <chrono>

#include "eddy/storage/chunk_codec.h"
#include "eddy/storage/key_codec.h"

namespace eddy::storage {
namespace {

std::string encode_tail(const shard_tail& t) {
  std::string v;
  keys::put_be(v, t.next_position, 8);
  keys::put_be(v, static_cast<uint64_t>(t.last_arrival_ms), 8);
  return v;
}

std::string next_prefix(std::string prefix) {
  // The smallest string greater than every string starting with `prefix`.
  while (!prefix.empty() && static_cast<uint8_t>(prefix.back()) == 0xff) prefix.pop_back();
  if (prefix.empty()) return std::string(1, '\xff') + std::string(64, '\xff');
  prefix.back() = static_cast<char>(static_cast<uint8_t>(prefix.back()) + 1);
  return prefix;
}

}  // namespace

log_store::log_store(std::unique_ptr<kv_engine> engine, sync_mode sync, std::shared_ptr<storage_probe> probe)
    : kv_(std::move(engine)), sync_(sync), probe_(probe ? std::move(probe) : std::make_shared<storage_probe>()) {
  probe_->attach(kv_.get());
}

log_store::~log_store() { probe_->attach(nullptr); }

result<void> log_store::commit(std::span<const write_op> ops, bool sync) {
  const auto start = std::chrono::steady_clock::now();
  auto r = kv_->commit(ops, sync);
  probe_->observe_write(sync, std::chrono::steady_clock::now() - start);
  return r;
}

result<void> log_store::meta_put(std::string_view key, std::string_view value) {
  const write_op op{write_op::put, cf::meta, std::string(key), std::string(value)};
  return commit({&op, 1}, true);
}

result<void> log_store::meta_erase(std::string_view key) {
  const write_op op{write_op::erase, cf::meta, std::string(key), {}};
  return commit({&op, 1}, true);
}

result<std::optional<std::string>> log_store::meta_get(std::string_view key) { return kv_->get(cf::meta, key); }

result<std::vector<key_value>> log_store::meta_scan(std::string_view prefix) {
  std::vector<key_value> out;
  auto r = kv_->scan(cf::meta, prefix, next_prefix(std::string(prefix)), [&](std::string_view k, std::string_view v) {
    out.emplace_back(std::string(k), std::string(v));
    return true;
  });
  if (!r) return fail(std::move(r).error());
  return out;
}

result<void> log_store::append(shard_key shard, uint64_t first_position, int64_t arrival_ms, std::string_view chunk,
                               shard_tail new_tail) {
  const write_op ops[] = {
      {write_op::put, cf::log, keys::log(shard.stream_uid, shard.shard, first_position), std::string(chunk)},
      {write_op::put, cf::time, keys::time(shard.stream_uid, shard.shard, arrival_ms, first_position), {}},
      {write_op::put, cf::meta, keys::tail(shard.stream_uid, shard.shard), encode_tail(new_tail)},
  };
  auto r = commit(ops, sync_ == sync_mode::always);
  if (r) probe_->observe_append(chunk.size(), new_tail.next_position - first_position);
  return r;
}

result<std::optional<shard_tail>> log_store::load_tail(shard_key shard) {
  auto v = kv_->get(cf::meta, keys::tail(shard.stream_uid, shard.shard));
  if (!v) return fail(std::move(v).error());
  if (!*v) return std::optional<shard_tail>{};
  if ((*v)->size() != 16) return fail(error{errc::corruption, "shard tail has " + std::to_string((*v)->size()) + " bytes"});
  return std::optional<shard_tail>{
      shard_tail{keys::get_be(**v, 0, 8), static_cast<int64_t>(keys::get_be(**v, 8, 8))}};
}

result<std::vector<stored_chunk>> log_store::read(shard_key shard, uint64_t from, size_t max_bytes) {
  const std::string prefix = keys::shard_prefix(shard.stream_uid, shard.shard);
  std::vector<stored_chunk> out;
  size_t bytes = 0;
  // The chunk holding `from` starts at or before it.
  std::string begin = keys::log(shard.stream_uid, shard.shard, from);
  auto prev = kv_->seek_prev(cf::log, begin, prefix);
  if (!prev) return fail(std::move(prev).error());
  if (*prev) {
    const auto header = read_chunk_header((*prev)->second);
    if (!header) return fail(error{errc::corruption, "malformed chunk"});
    const uint64_t first = keys::get_be((*prev)->first, 12, 8);
    if (first + header->count > from) {
      bytes += (*prev)->second.size();
      out.push_back({first, std::move((*prev)->second)});
      begin = keys::log(shard.stream_uid, shard.shard, first + header->count);
    }
  }
  if (bytes >= max_bytes && !out.empty()) return out;
  auto r = kv_->scan(cf::log, begin, next_prefix(prefix), [&](std::string_view k, std::string_view v) {
    out.push_back({keys::get_be(k, 12, 8), std::string(v)});
    bytes += v.size();
    return bytes < max_bytes;
  });
  if (!r) return fail(std::move(r).error());
  return out;
}

result<std::optional<uint64_t>> log_store::seek_time(shard_key shard, int64_t arrival_ms) {
  const std::string prefix = keys::shard_prefix(shard.stream_uid, shard.shard);
  std::optional<uint64_t> found;
  auto r = kv_->scan(cf::time, keys::time(shard.stream_uid, shard.shard, arrival_ms, 0), next_prefix(prefix),
                     [&](std::string_view k, std::string_view) {
                       found = keys::get_be(k, 20, 8);
                       return false;
                     });
  if (!r) return fail(std::move(r).error());
  return found;
}

result<std::optional<uint64_t>> log_store::first_position(shard_key shard) {
  const std::string prefix = keys::shard_prefix(shard.stream_uid, shard.shard);
  std::optional<uint64_t> found;
  auto r = kv_->scan(cf::log, prefix, next_prefix(prefix), [&](std::string_view k, std::string_view) {
    found = keys::get_be(k, 12, 8);
    return false;
  });
  if (!r) return fail(std::move(r).error());
  return found;
}

result<void> log_store::trim(shard_key shard, uint64_t position, int64_t arrival_ms) {
  const write_op ops[] = {
      {write_op::erase_range, cf::log, keys::log(shard.stream_uid, shard.shard, 0),
       keys::log(shard.stream_uid, shard.shard, position)},
      {write_op::erase_range, cf::time, keys::time(shard.stream_uid, shard.shard, 0, 0),
       keys::time(shard.stream_uid, shard.shard, arrival_ms, 0)},
  };
  return commit(ops, false);
}

result<void> log_store::drop_stream(uint64_t uid) {
  const write_op ops[] = {
      {write_op::erase_range, cf::log, keys::stream_range_begin(uid), keys::stream_range_end(uid)},
      {write_op::erase_range, cf::time, keys::stream_range_begin(uid), keys::stream_range_end(uid)},
      {write_op::erase_range, cf::meta, keys::tail_range_begin(uid), keys::tail_range_end(uid)},
  };
  return commit(ops, true);
}

result<uint64_t> log_store::approximate_bytes(shard_key shard) {
  const std::string prefix = keys::shard_prefix(shard.stream_uid, shard.shard);
  return kv_->approximate_bytes(cf::log, prefix, next_prefix(prefix));
}

result<std::unique_ptr<log_store>> open_rocksdb_store(const std::string& dir, sync_mode sync) {
  auto probe = std::make_shared<storage_probe>();
  auto engine = open_rocksdb_engine(dir, probe);
  if (!engine) return fail(std::move(engine).error());
  return std::make_unique<log_store>(std::move(engine).value(), sync, std::move(probe));
}

std::unique_ptr<log_store> make_memory_store() {
  return std::make_unique<log_store>(make_memory_engine(), sync_mode::none);
}

}  // namespace eddy::storage
