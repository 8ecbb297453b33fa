#include "eddy/core/stream_codec.h"

#include <nlohmann/json.hpp>

namespace eddy::core {
namespace {

using nlohmann::json;

stream_status status_from(const std::string& s) {
  if (s == "CREATING") return stream_status::creating;
  if (s == "UPDATING") return stream_status::updating;
  if (s == "DELETING") return stream_status::deleting;
  return stream_status::active;
}

json optional_index(const std::optional<shard_index>& ix) { return ix ? json(ix->get()) : json(nullptr); }

std::optional<shard_index> index_from(const json& j) {
  if (j.is_null()) return std::nullopt;
  return shard_index{j.get<uint32_t>()};
}

// The resource-policy, warm-throughput and record-distribution fields, and each consumer's tags and
// policy. They came after version 1's first layout, so a record without them reads as their defaults.
void encode_settings(const stream_meta& s, json& j) {
  if (!s.policy.empty()) j["policy"] = s.policy;
  if (s.warm_throughput_target_mibps) j["warm_target_mibps"] = *s.warm_throughput_target_mibps;
  if (s.warm_throughput_current_mibps) j["warm_current_mibps"] = *s.warm_throughput_current_mibps;
  if (s.auto_distribution) j["distribution"] = "AUTO";
  json& consumers = j["consumers"];
  for (size_t i = 0; i < s.consumers.size() && i < consumers.size(); ++i) {
    if (!s.consumers[i].tags.empty()) consumers[i]["tags"] = s.consumers[i].tags;
    if (!s.consumers[i].policy.empty()) consumers[i]["policy"] = s.consumers[i].policy;
  }
}

void decode_settings(const json& j, stream_meta& s) {
  s.policy = j.value("policy", std::string());
  if (j.contains("warm_target_mibps")) s.warm_throughput_target_mibps = j.at("warm_target_mibps").get<int>();
  if (j.contains("warm_current_mibps")) s.warm_throughput_current_mibps = j.at("warm_current_mibps").get<int>();
  s.auto_distribution = j.value("distribution", std::string()) == "AUTO";
  const json consumers = j.value("consumers", json::array());
  for (size_t i = 0; i < s.consumers.size() && i < consumers.size(); ++i) {
    s.consumers[i].tags = consumers[i].value("tags", std::map<std::string, std::string>{});
    s.consumers[i].policy = consumers[i].value("policy", std::string());
  }
}

}  // namespace

std::string encode_stream(const stream_meta& s) {
  json shards = json::array();
  for (const auto& sh : s.shards) {
    shards.push_back({{"index", sh.index.get()},
                      {"start", to_decimal(sh.range.start)},
                      {"end", to_decimal(sh.range.end)},
                      {"parent", optional_index(sh.parent)},
                      {"adjacent_parent", optional_index(sh.adjacent_parent)},
                      {"created_ms", sh.created_ms},
                      {"closed_ms", sh.closed_ms ? json(*sh.closed_ms) : json(nullptr)}});
  }
  json consumers = json::array();
  for (const auto& c : s.consumers) {
    consumers.push_back({{"name", c.name}, {"created_ms", c.created_ms}, {"status", to_string(c.status)}});
  }
  json j = {{"v", 1},
            {"name", s.name},
            {"status", to_string(s.status)},
            {"mode", to_string(s.mode)},
            {"created_ms", s.created_ms},
            {"retention_hours", s.retention_hours},
            {"uid", s.uid},
            {"seq_salt", s.seq_salt},
            {"next_shard_index", s.next_shard_index},
            {"max_record_size_kib", s.max_record_size_kib},
            {"encryption_type", s.encryption_type},
            {"key_id", s.key_id},
            {"shard_level_metrics", s.shard_level_metrics},
            {"tags", s.tags},
            {"shards", std::move(shards)},
            {"consumers", std::move(consumers)},
            {"scaling_ms", s.scaling_ms},
            {"pending", s.pending},
            {"reserved_open_shards", s.reserved_open_shards}};
  encode_settings(s, j);
  return j.dump();
}

std::optional<stream_meta> decode_stream(const stream_scope& scope, const std::string& text) {
  const json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.value("v", 0) != 1) return std::nullopt;
  try {
    stream_meta s;
    s.scope = scope;
    s.name = j.at("name").get<std::string>();
    s.status = status_from(j.at("status").get<std::string>());
    s.mode = j.at("mode").get<std::string>() == "ON_DEMAND" ? stream_mode::on_demand : stream_mode::provisioned;
    s.created_ms = j.at("created_ms").get<int64_t>();
    s.retention_hours = j.at("retention_hours").get<int>();
    s.uid = j.at("uid").get<uint64_t>();
    s.seq_salt = j.at("seq_salt").get<uint64_t>();
    s.next_shard_index = j.at("next_shard_index").get<uint32_t>();
    s.max_record_size_kib = j.at("max_record_size_kib").get<int>();
    s.encryption_type = j.at("encryption_type").get<std::string>();
    s.key_id = j.at("key_id").get<std::string>();
    s.shard_level_metrics = j.at("shard_level_metrics").get<std::vector<std::string>>();
    s.tags = j.at("tags").get<std::map<std::string, std::string>>();
    for (const auto& sh : j.at("shards")) {
      shard_meta m;
      m.index = shard_index{sh.at("index").get<uint32_t>()};
      const auto start = parse_decimal(sh.at("start").get<std::string>());
      const auto end = parse_decimal(sh.at("end").get<std::string>());
      if (!start || !end) return std::nullopt;
      m.range = {*start, *end};
      m.parent = index_from(sh.at("parent"));
      m.adjacent_parent = index_from(sh.at("adjacent_parent"));
      m.created_ms = sh.at("created_ms").get<int64_t>();
      if (!sh.at("closed_ms").is_null()) m.closed_ms = sh.at("closed_ms").get<int64_t>();
      s.shards.push_back(m);
    }
    for (const auto& c : j.value("consumers", json::array())) {
      const std::string st = c.at("status").get<std::string>();
      s.consumers.push_back({c.at("name").get<std::string>(), c.at("created_ms").get<int64_t>(),
                             st == "CREATING"   ? consumer_status::creating
                             : st == "DELETING" ? consumer_status::deleting
                                                : consumer_status::active});
    }
    s.scaling_ms = j.value("scaling_ms", std::vector<int64_t>{});
    s.pending = j.value("pending", std::string());
    s.reserved_open_shards = j.value("reserved_open_shards", uint32_t{0});
    decode_settings(j, s);
    return s;
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

}  // namespace eddy::core
