#include <rocksdb/db.h>
#include <rocksdb/options.h>

#include <filesystem>

#include "eddy/base/log.h"
#include "eddy/storage/log_store.h"

namespace eddy::storage {
namespace {

error to_error(const rocksdb::Status& s) {
  if (s.IsCorruption()) return {errc::corruption, s.ToString()};
  if (s.IsBusy() || s.IsTimedOut() || s.IsTryAgain()) return {errc::busy, s.ToString()};
  return {errc::io_error, s.ToString()};
}

// One RocksDB instance with a column family per kind of data. Metadata writes are synced: they are rare
// and a stream acknowledged as created must survive a crash.
class rocksdb_store final : public log_store {
 public:
  rocksdb_store(std::unique_ptr<rocksdb::DB> db, std::vector<rocksdb::ColumnFamilyHandle*> handles)
      : db_(std::move(db)), handles_(std::move(handles)) {}

  ~rocksdb_store() override {
    for (auto* h : handles_) (void)db_->DestroyColumnFamilyHandle(h);
    (void)db_->Close();
  }

  result<void> meta_put(std::string_view key, std::string_view value) override {
    rocksdb::WriteOptions wo;
    wo.sync = true;
    if (auto s = db_->Put(wo, meta(), rocksdb::Slice(key.data(), key.size()), rocksdb::Slice(value.data(), value.size()));
        !s.ok()) {
      return fail(to_error(s));
    }
    return {};
  }

  result<void> meta_erase(std::string_view key) override {
    rocksdb::WriteOptions wo;
    wo.sync = true;
    if (auto s = db_->Delete(wo, meta(), rocksdb::Slice(key.data(), key.size())); !s.ok()) return fail(to_error(s));
    return {};
  }

  result<std::vector<key_value>> meta_scan(std::string_view prefix) override {
    std::vector<key_value> out;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), meta()));
    for (it->Seek(rocksdb::Slice(prefix.data(), prefix.size())); it->Valid() && it->key().starts_with(
             rocksdb::Slice(prefix.data(), prefix.size()));
         it->Next()) {
      out.emplace_back(it->key().ToString(), it->value().ToString());
    }
    if (!it->status().ok()) return fail(to_error(it->status()));
    return out;
  }

 private:
  rocksdb::ColumnFamilyHandle* meta() const { return handles_[1]; }

  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;  // [default, meta]
};

}  // namespace

result<std::unique_ptr<log_store>> open_rocksdb_store(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return fail(error{errc::io_error, "cannot create " + dir + ": " + ec.message()});

  rocksdb::DBOptions opts;
  opts.create_if_missing = true;
  opts.create_missing_column_families = true;
  opts.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  opts.keep_log_file_num = 2;
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs = {
      {rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions()},
      {"meta", rocksdb::ColumnFamilyOptions()},
  };
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  if (auto s = rocksdb::DB::Open(opts, dir, cfs, &handles, &raw); !s.ok()) return fail(to_error(s));
  log::get("storage")->info("opened RocksDB in {}", dir);
  return std::unique_ptr<log_store>(new rocksdb_store(std::unique_ptr<rocksdb::DB>(raw), std::move(handles)));
}

}  // namespace eddy::storage
