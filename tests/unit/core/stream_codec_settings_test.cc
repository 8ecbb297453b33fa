// The stream settings that came after the first metadata layout: they round-trip, and metadata
// written before them still loads with their defaults.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "eddy/core/stream_codec.h"

namespace eddy::core {
namespace {

const stream_scope kScope{"000000000000", "us-east-1"};

stream_meta with_settings() {
  stream_meta s;
  s.scope = kScope;
  s.name = "x";
  s.status = stream_status::active;
  s.mode = stream_mode::on_demand;
  s.tags = {{"team", "data"}};
  s.policy = R"({"Version":"2012-10-17","Statement":[]})";
  s.warm_throughput_target_mibps = 100;
  s.warm_throughput_current_mibps = 40;
  s.auto_distribution = true;
  s.encryption_type = "KMS";
  s.key_id = "alias/aws/kinesis";
  s.shard_level_metrics = {"IncomingBytes"};
  s.max_record_size_kib = 10240;
  consumer_meta plain{"a", 1000, consumer_status::active, {}, {}};
  consumer_meta tagged{"b", 2000, consumer_status::creating, {{"k", "v"}}, R"({"Statement":[]})"};
  s.consumers = {plain, tagged};
  return s;
}

TEST(StreamCodecSettings, RoundTripsPolicyWarmThroughputDistributionAndConsumerTags) {
  const stream_meta s = with_settings();
  auto back = decode_stream(kScope, encode_stream(s));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->policy, s.policy);
  EXPECT_EQ(back->warm_throughput_target_mibps, 100);
  EXPECT_EQ(back->warm_throughput_current_mibps, 40);
  EXPECT_TRUE(back->auto_distribution);
  EXPECT_EQ(back->encryption_type, "KMS");
  EXPECT_EQ(back->key_id, "alias/aws/kinesis");
  EXPECT_EQ(back->max_record_size_kib, 10240);
  ASSERT_EQ(back->consumers.size(), 2u);
  EXPECT_TRUE(back->consumers[0].tags.empty());
  EXPECT_TRUE(back->consumers[0].policy.empty());
  EXPECT_EQ(back->consumers[1].tags, (std::map<std::string, std::string>{{"k", "v"}}));
  EXPECT_EQ(back->consumers[1].policy, R"({"Statement":[]})");
}

TEST(StreamCodecSettings, MetadataWrittenBeforeTheSettingsLoadsWithDefaults) {
  auto j = nlohmann::json::parse(encode_stream(with_settings()));
  for (const char* k : {"policy", "warm_target_mibps", "warm_current_mibps", "distribution"}) {
    ASSERT_TRUE(j.contains(k)) << k;
    j.erase(k);
  }
  for (auto& c : j["consumers"]) {
    c.erase("tags");
    c.erase("policy");
  }
  auto back = decode_stream(kScope, j.dump());
  ASSERT_TRUE(back.has_value());
  EXPECT_TRUE(back->policy.empty());
  EXPECT_FALSE(back->warm_throughput_target_mibps);
  EXPECT_FALSE(back->warm_throughput_current_mibps);
  EXPECT_FALSE(back->auto_distribution);
  ASSERT_EQ(back->consumers.size(), 2u);
  EXPECT_TRUE(back->consumers[1].tags.empty());
  EXPECT_EQ(back->tags, (std::map<std::string, std::string>{{"team", "data"}}));
}

}  // namespace
}  // namespace eddy::core
