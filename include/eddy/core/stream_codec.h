#pragma once
// stream_meta <-> the JSON text stored under storage::keys::stream(). Metadata is small and rarely
// written, so a self-describing format that is easy to inspect and extend wins over compactness.
//
//   {"v":1,"name":..,"status":"ACTIVE","mode":"PROVISIONED","created_ms":..,"retention_hours":24,
//    "uid":..,"seq_salt":..,"next_shard_index":..,"max_record_size_kib":1024,"encryption_type":"NONE","key_id":"",
//    "shard_level_metrics":[..],"tags":{..},
//    "shards":[{"index":0,"start":"<decimal u128>","end":"<decimal u128>","parent":null,
//               "adjacent_parent":null,"created_ms":..,"closed_ms":null}, ..],
//    "consumers":[{"name":..,"created_ms":..,"status":"ACTIVE"}, ..]}
//
// Members present only when set, so older records read as the defaults: "policy", "warm_target_mibps",
// "warm_current_mibps", "distribution":"AUTO", and a consumer's "tags" and "policy".
#include <optional>
#include <string>

#include "eddy/core/stream_meta.h"

namespace eddy::core {

std::string encode_stream(const stream_meta& s);
std::optional<stream_meta> decode_stream(const stream_scope& scope, const std::string& text);

}  // namespace eddy::core
