#include <rocksdb/db.h>
#include <rocksdb/listener.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>

#include <cstdlib>
#include <filesystem>

#include "eddy/base/log.h"
#include "eddy/storage/kv_engine.h"
#include "eddy/storage/storage_probe.h"

namespace eddy::storage {
namespace {

error to_error(const rocksdb::Status& s) {
  if (s.IsCorruption()) return {errc::corruption, s.ToString()};
  if (s.IsBusy() || s.IsTimedOut() || s.IsTryAgain()) return {errc::busy, s.ToString()};
  return {errc::io_error, s.ToString()};
}

rocksdb::Slice slice(std::string_view s) { return {s.data(), s.size()}; }

// Hears RocksDB's own timing of each file sync and keeps the write-ahead log's: the fsync a synced append
// waits for, which our own timing of a commit cannot separate from the rest of the write. RocksDB calls
// every file-I/O hook once this listener asks for them; all but the sync one are empty.
class wal_sync_listener final : public rocksdb::EventListener {
 public:
  explicit wal_sync_listener(std::shared_ptr<storage_probe> probe) : probe_(std::move(probe)) {}
  bool ShouldBeNotifiedOnFileIO() override { return true; }
  void OnFileSyncFinish(const rocksdb::FileOperationInfo& info) override {
    if (info.path.ends_with(".log")) probe_->observe_sync(info.duration);
  }

 private:
  std::shared_ptr<storage_probe> probe_;
};

// The RocksDB properties /metrics shows: what grows before a stall (memtables, L0 files, pending
// compaction), what is stored, and whether background work is running or failing.
struct property {
  const char* rocksdb_name;
  const char* metric;
  const char* help;
  bool per_column_family;
  bool counter = false;
};
constexpr property kProperties[] = {
    {"rocksdb.estimate-live-data-size", "eddy_rocksdb_estimate_live_data_size_bytes",
     "Estimated bytes of live data, by column family", true},
    {"rocksdb.live-sst-files-size", "eddy_rocksdb_live_sst_files_size_bytes",
     "Bytes of the SST files of the current version, by column family", true},
    {"rocksdb.size-all-mem-tables", "eddy_rocksdb_size_all_mem_tables_bytes",
     "Bytes of the active, unflushed and pinned memtables, by column family", true},
    {"rocksdb.estimate-pending-compaction-bytes", "eddy_rocksdb_estimate_pending_compaction_bytes",
     "Estimated bytes compaction must rewrite to bring every level under its target, by column family", true},
    {"rocksdb.num-files-at-level0", "eddy_rocksdb_level0_files",
     "SST files at level 0 (writes slow down and stop as these pile up), by column family", true},
    {"rocksdb.estimate-num-keys", "eddy_rocksdb_estimate_num_keys", "Estimated number of keys, by column family", true},
    {"rocksdb.num-running-compactions", "eddy_rocksdb_running_compactions", "Compactions running now", false},
    {"rocksdb.num-running-flushes", "eddy_rocksdb_running_flushes", "Memtable flushes running now", false},
    {"rocksdb.is-write-stopped", "eddy_rocksdb_write_stopped", "1 while RocksDB stops writes (a write stall)", false},
    {"rocksdb.actual-delayed-write-rate", "eddy_rocksdb_delayed_write_rate_bytes",
     "The rate writes are slowed to while RocksDB delays them, in bytes per second; 0 when not delayed", false},
    {"rocksdb.background-errors", "eddy_rocksdb_background_errors_total",
     "Errors in RocksDB's background work (flush, compaction) since the database opened", false, true},
};
constexpr const char* kFamilyNames[] = {"meta", "log", "time"};

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

  // SST files: RocksDB's estimate from their index blocks, good to about a block. Memtables: summed entry by
  // entry, because RocksDB's memtable estimate is an average entry size times a count, which is far off for
  // a shard whose chunks differ in size, and a young shard's data is all in the memtable. The memtable-only
  // iterator reads no file and copies no value.
  result<uint64_t> approximate_bytes(cf family, std::string_view begin, std::string_view end) override {
    rocksdb::SizeApproximationOptions o;
    o.include_memtables = false;
    o.include_files = true;
    const rocksdb::Range range(slice(begin), slice(end));
    uint64_t bytes = 0;
    if (auto s = db_->GetApproximateSizes(o, handle(family), &range, 1, &bytes); !s.ok()) return fail(to_error(s));
    rocksdb::ReadOptions ro;
    ro.read_tier = rocksdb::kMemtableTier;
    const rocksdb::Slice upper = slice(end);
    ro.iterate_upper_bound = &upper;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, handle(family)));
    for (it->Seek(slice(begin)); it->Valid(); it->Next()) bytes += it->key().size() + it->value().size();
    if (!it->status().ok()) return fail(to_error(it->status()));
    return bytes;
  }

  std::vector<engine_stat> stats() const override {
    std::vector<engine_stat> out;
    for (const auto& p : kProperties) {
      if (!p.per_column_family) {
        uint64_t v = 0;
        if (db_->GetIntProperty(p.rocksdb_name, &v)) {
          out.push_back({p.metric, p.help, p.counter, {}, static_cast<double>(v)});
        }
        continue;
      }
      for (size_t f = 0; f < std::size(kFamilyNames); ++f) {
        // num-files-at-level<N> is a string property; the others are integers.
        std::string text;
        if (!db_->GetProperty(handles_[1 + f], p.rocksdb_name, &text)) continue;
        char* end = nullptr;
        const double v = std::strtod(text.c_str(), &end);
        if (end == text.c_str()) continue;
        out.push_back({p.metric, p.help, p.counter, kFamilyNames[f], v});
      }
    }
    return out;
  }

 private:
  rocksdb::ColumnFamilyHandle* handle(cf family) const { return handles_[1 + static_cast<size_t>(family)]; }

  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;  // [default, meta, log, time]
};

}  // namespace

result<std::unique_ptr<kv_engine>> open_rocksdb_engine(const std::string& dir, std::shared_ptr<storage_probe> probe) {
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
  // A crash or power loss can leave the newest write-ahead log cut inside a record (a torn tail): replay
  // up to the last whole record and open. Only bytes after the last fsync can be torn, so with --sync=always
  // nothing acknowledged is dropped. This is RocksDB 7's default, pinned because eddy depends on it:
  // kAbsoluteConsistency would refuse to open at all after a torn tail, and kSkipAnyCorruptedRecords could
  // replay records past a hole. (tests/unit/storage/store_test.cc: TornWalTailReopens)
  opts.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
  if (probe) opts.listeners.push_back(std::make_shared<wal_sync_listener>(std::move(probe)));
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
