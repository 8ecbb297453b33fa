// PutRecords: up to 500 records and 10 MiB, routed per record, appended to every shard concurrently;
// results come back in request order.
#include <map>

#include "../../async_bridge.h"
#include "../../model/shapes.h"
#include "eddy/core/sequence_number.h"
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
                                   {"StreamARN", &model::shapes::stream_arn()}}};
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

  // One group per shard, records in request order within it.
  std::map<uint32_t, size_t> group_of;
  append_job job;
  std::vector<append_group>& groups = job.groups;
  std::vector<std::vector<size_t>> members;
  for (size_t i = 0; i < n; ++i) {
    const auto ix = shard_of[i]->index;
    auto [it, inserted] = group_of.emplace(ix.get(), groups.size());
    if (inserted) {
      auto actor = ctx.shards.actor(s.uid, ix);
      if (!actor) co_return fail(aws_error{"InternalFailure", 500, actor.error().detail});
      groups.push_back({*actor, {}});
      members.emplace_back();
    }
    document& e = entries[i];
    groups[it->second].records.push_back({e["PartitionKey"].get<std::string>(), take_blob(e["Data"])});
    members[it->second].push_back(i);
  }
  std::vector<uint32_t> group_shard(groups.size());
  for (const auto& [shard, g] : group_of) group_shard[g] = shard;

  co_await run(job);
  const std::vector<append_outcome>& outcomes = job.outcomes;

  document results = document::array();
  for (size_t i = 0; i < n; ++i) results.push_back(document::object());
  int failed = 0;
  for (size_t g = 0; g < outcomes.size(); ++g) {
    const auto& outcome = *outcomes[g];
    for (size_t k = 0; k < members[g].size(); ++k) {
      document& r = results[members[g][k]];
      if (outcome) {
        const core::shard_index ix{group_shard[g]};
        r["SequenceNumber"] =
            core::format_sequence_number({s.seq_salt, ix, core::position{outcome->first_position + k}});
        r["ShardId"] = core::format_shard_id(ix);
      } else {
        r["ErrorCode"] = "InternalFailure";
        r["ErrorMessage"] = "Internal service failure.";
        ++failed;
      }
    }
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
