// PutRecords: up to 500 records and 10 MiB, routed per record, appended to every shard concurrently;
// results come back in request order.
#include "../../fault_injector.h"
#include "../../throughput_limits.h"
#include "../../model/shapes.h"
#include "eddy/core/sequence_number.h"
#include "append_routed.h"
#include "put_common.h"

namespace eddy::api::ops {
namespace {

using codec::document;
using model::kind;
using model::shape;

constexpr size_t kMaxRequestBytes = 10u << 20;  // raised from 5 MiB with the 10 MiB records (2025)

const shape& input() {
  static const shape entry{.k = kind::structure,
                           .members = {{"Data", &data_shape(), true},
                                       {"ExplicitHashKey", &explicit_hash_key_shape()},
                                       {"PartitionKey", &partition_key_shape()}},
                           .java_name = "PutRecordsRequestEntry"};
  static const shape records{.k = kind::list, .min_length = 1, .max_length = 500, .element = &entry};
  static const shape s{.k = kind::structure,
                       .members = {{"Records", &records, true},
                                   {"StreamName", &model::shapes::stream_name()},
                                   {"StreamARN", &model::shapes::stream_arn()},
                                   {"DryRun", &model::shapes::boolean()}}};
  return s;
}

boost::asio::awaitable<op_result<document>> handle(op_context& ctx, document in) {
  auto stream = writable_stream(ctx, in);
  if (!stream) co_return fail(std::move(stream).error());
  const core::stream_meta& s = **stream;
  document& entries = in["Records"];
  const size_t n = entries.size();

  std::vector<std::string> missing;
  for (size_t i = 0; i < n; ++i) {
    if (!entries[i].contains("PartitionKey")) {
      missing.push_back("records." + std::to_string(i + 1) + ".member.partitionKey");
      entries[i]["PartitionKey"] = "";  // stored as empty where AUTO lets it be absent
    }
  }
  if (auto e = missing_partition_keys(s, missing)) co_return fail(std::move(*e));

  // Route and check every record before writing any, so a bad request stores nothing.
  std::vector<const core::shard_meta*> shard_of(n);
  size_t total = 0;
  for (size_t i = 0; i < n; ++i) {
    document& e = entries[i];
    const size_t data_size = e["Data"].get_binary().size();
    const size_t key_size = e["PartitionKey"].get_ref<const std::string&>().size();
    if (auto err = data_too_large(s, data_size, "records." + std::to_string(i + 1) + ".member.data")) {
      co_return fail(std::move(*err));
    }
    if (data_size + key_size > max_record_bytes(s)) {
      co_return fail(invalid_argument("Record " + std::to_string(i) + ": data and partition key together are " +
                                      std::to_string(data_size + key_size) + " bytes, more than the stream's limit of " +
                                      std::to_string(max_record_bytes(s)) + " bytes."));
    }
    total += data_size + key_size;
    auto shard = route(s, e["PartitionKey"].get_ref<const std::string&>(), e.value("ExplicitHashKey", document()));
    if (!shard) co_return fail(std::move(shard).error());
    shard_of[i] = *shard;
  }
  if (total > kMaxRequestBytes) {
    co_return fail(invalid_argument("Records size exceeds the 10 MiB limit of a PutRecords request: " +
                                    std::to_string(total) + " bytes of data and partition keys."));
  }

  // Records refused as throttled (--fault-rate, --enforce-limits) are answered as AWS answers them and never
  // stored.
  std::vector<bool> refused(n, false);
  std::vector<size_t> kept;  // the indexes of the records to store, in request order
  kept.reserve(n);
  // Every record is charged at the instant the request is: otherwise a request that takes longer than
  // usual to go through its 500 records (a loaded machine, a sanitizer build) earns refills between them.
  const int64_t at = ctx.limits ? ctx.limits->now() : 0;
  for (size_t i = 0; i < n; ++i) {
    refused[i] = ctx.record_faults && ctx.record_faults->refuse_record(ctx.op_index);
    if (!refused[i] && ctx.limits) {
      const size_t bytes = entries[i]["Data"].get_binary().size() + entries[i]["PartitionKey"].get_ref<const std::string&>().size();
      refused[i] = !ctx.limits->admit_write(s.uid, shard_of[i]->index, bytes, "PutRecords", at);
    }
    if (!refused[i]) kept.push_back(i);
  }

  std::vector<core::append_record> records;
  records.reserve(kept.size());
  for (size_t i : kept) records.push_back({entries[i]["PartitionKey"].get<std::string>(), take_blob(entries[i]["Data"])});
  std::vector<placed_record> placed_kept;
  if (!records.empty()) {
    std::shared_ptr<const core::stream_meta> current = *stream;
    auto placed = co_await append_routed(
        ctx, current, std::move(records),
        [&](const core::stream_meta& snapshot, size_t k) -> op_result<const core::shard_meta*> {
          const size_t i = kept[k];
          if (&snapshot == &s) return shard_of[i];  // routed above; only a reshard makes a second round
          return route(snapshot, entries[i]["PartitionKey"].get_ref<const std::string&>(),
                       entries[i].value("ExplicitHashKey", document()));
        },
        [&] { return writable_stream(ctx, in); });
    if (!placed) co_return fail(std::move(placed).error());
    placed_kept = std::move(placed).value();
  }

  document results = document::array();
  int failed = 0;
  size_t next_kept = 0;
  for (size_t i = 0; i < n; ++i) {
    document r = document::object();
    if (refused[i]) {
      const aws_error e = shard_throttled(core::format_shard_id(shard_of[i]->index), s.name, ctx.scope.account);
      r["ErrorCode"] = e.type;
      r["ErrorMessage"] = e.message;
      ++failed;
      results.push_back(std::move(r));
      continue;
    }
    const placed_record& p = placed_kept[next_kept++];
    if (p.ok) {
      r["SequenceNumber"] = core::format_sequence_number({s.seq_salt, p.shard, core::position{p.position}});
      r["ShardId"] = core::format_shard_id(p.shard);
    } else if (p.throttled) {
      const aws_error e = shard_throttled(core::format_shard_id(p.shard), s.name, ctx.scope.account);
      r["ErrorCode"] = e.type;
      r["ErrorMessage"] = e.message;
      ++failed;
    } else {
      r["ErrorCode"] = "InternalFailure";
      r["ErrorMessage"] = "Internal service failure.";
      ++failed;
    }
    results.push_back(std::move(r));
  }
  document out = document::object();
  out["FailedRecordCount"] = failed;
  out["Records"] = std::move(results);
  if (s.encryption_type != "NONE") out["EncryptionType"] = s.encryption_type;
  co_return out;
}

}  // namespace

extern const operation put_records{"PutRecords", &input, &handle};

}  // namespace eddy::api::ops
