#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>

#include <filesystem>

#include "eddy/base/log.h"
#include "eddy/storage/kv_engine.h"

namespace eddy::storage {
namespace {

error to_error(const rocksdb::Status& s) {
  if (s.IsCorruption()) return {errc::corruption, s.ToString()};
  if (s.IsBusy() || s.IsTimedOut() || s.IsTryAgain()) return {errc::busy, s.ToString()};
  return {errc::io_error, s.ToString()};
}

rocksdb::Slice slice(std::string_view s) { return {s.data(), s.size()}; }

// One RocksDB instance with a column family per kind of data (see key_codec.h). Every commit is one
// WriteBatch, so a chunk, its index entry and the shard tail land together or not at all.
class rocksdb_engine final : public kv_engine {
 public:
  rocksdb_engine(std::unique_ptr<rocksdb::DB> db, std::vector<rocksdb::ColumnFamilyHandle*> handles)
      : db_(std::move(db)), handles_(std::move(handles)) {}

  ~rocksdb_engine() override {
    for (auto* h : handles_) (void)db_->DestroyColumnFamilyHandle(h);
    (void)db_->Close();
  }

  result<void> commit(std::span<const write_op> ops, bool sync) override {
    rocksdb::WriteBatch batch;
    for (const auto& op : ops) {
      auto* h = handle(op.family);
      rocksdb::Status s;
      switch (op.op) {
        case write_op::put: s = batch.Put(h, slice(op.key), slice(op.value)); break;
        case write_op::erase: s = batch.Delete(h, slice(op.key)); break;
        case write_op::erase_range: s = batch.DeleteRange(h, slice(op.key), slice(op.value)); break;
      }
      if (!s.ok()) return fail(to_error(s));
    }
    rocksdb::WriteOptions wo;
    wo.sync = sync;
    if (auto s = db_->Write(wo, &batch); !s.ok()) return fail(to_error(s));
    return {};
  }

  result<std::optional<std::string>> get(cf family, std::string_view key) override {
    std::string value;
    auto s = db_->Get(rocksdb::ReadOptions(), handle(family), slice(key), &value);
    if (s.IsNotFound()) return std::optional<std::string>{};
    if (!s.ok()) return fail(to_error(s));
    return std::optional<std::string>{std::move(value)};
  }

  result<void> scan(cf family, std::string_view begin, std::string_view end, const visitor& fn) override {
    rocksdb::ReadOptions ro;
    const rocksdb::Slice upper = slice(end);
    ro.iterate_upper_bound = &upper;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, handle(family)));
    for (it->Seek(slice(begin)); it->Valid(); it->Next()) {
      const auto k = it->key();
      const auto v = it->value();
      if (!fn({k.data(), k.size()}, {v.data(), v.size()})) break;
    }
    if (!it->status().ok()) return fail(to_error(it->status()));
    return {};
  }

  result<std::optional<std::pair<std::string, std::string>>> seek_prev(cf family, std::string_view at,
                                                                      std::string_view lower) override {
    rocksdb::ReadOptions ro;
    const rocksdb::Slice lower_slice = slice(lower);
    ro.iterate_lower_bound = &lower_slice;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, handle(family)));
    it->SeekForPrev(slice(at));
    if (!it->status().ok()) return fail(to_error(it->status()));
    if (!it->Valid()) return std::optional<std::pair<std::string, std::string>>{};
    return std::optional<std::pair<std::string, std::string>>{
        std::pair<std::string, std::string>{it->key().ToString(), it->value().ToString()}};
  }

 private:
  rocksdb::ColumnFamilyHandle* handle(cf family) const { return handles_[1 + static_cast<size_t>(family)]; }

  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;  // [default, meta, log, time]
};

}  // namespace

result<std::unique_ptr<kv_engine>> open_rocksdb_engine(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return fail(error{errc::io_error, "cannot create " + dir + ": " + ec.message()});

  rocksdb::DBOptions opts;
  opts.create_if_missing = true;
  opts.create_missing_column_families = true;
  opts.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  opts.keep_log_file_num = 2;
  opts.max_background_jobs = 2;
  // Producers on different shards commit concurrently; let RocksDB group their WAL writes and syncs.
  opts.enable_pipelined_write = true;
  rocksdb::ColumnFamilyOptions log_opts;
  log_opts.write_buffer_size = 64 << 20;
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs = {
      {rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions()},
      {"meta", rocksdb::ColumnFamilyOptions()},
      {"log", log_opts},
      {"time", rocksdb::ColumnFamilyOptions()},
  };
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  if (auto s = rocksdb::DB::Open(opts, dir, cfs, &handles, &raw); !s.ok()) return fail(to_error(s));
  log::get("storage")->info("opened RocksDB in {}", dir);
  return std::unique_ptr<kv_engine>(new rocksdb_engine(std::unique_ptr<rocksdb::DB>(raw), std::move(handles)));
}

}  // namespace eddy::storage
