// The settings layers (defaults < file < environment < flags), their checks and --print-config.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include "eddy/config/config.h"

namespace eddy::config {
namespace {

struct fixture : ::testing::Test {
  std::map<std::string, std::string> env;
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("eddy-config-" + std::to_string(::getpid()));

  void SetUp() override { std::filesystem::create_directories(dir); }
  void TearDown() override { std::filesystem::remove_all(dir); }

  std::string file(const std::string& text) {
    const auto p = (dir / "eddy.yaml").string();
    std::ofstream(p) << text;
    return p;
  }

  outcome run(std::vector<std::string> args) {
    std::vector<const char*> argv{"eddy"};
    for (const auto& a : args) argv.push_back(a.c_str());
    return parse(static_cast<int>(argv.size()), argv.data(), [this](const char* name) -> const char* {
      auto it = env.find(name);
      return it == env.end() ? nullptr : it->second.c_str();
    });
  }
};

TEST_F(fixture, DefaultsMatchTheTable) {
  // Every default the table shows (--print-config, the docs) is the default the broker runs with.
  const auto r = run({});
  ASSERT_FALSE(r.exit_now) << r.text;
  EXPECT_EQ(r.values, settings{});
  const auto printed = run({"--print-config"});
  ASSERT_TRUE(printed.exit_now);
  EXPECT_EQ(printed.exit_code, 0);
  const auto p = file(printed.text);
  const auto reread = run({"--config", p});
  ASSERT_FALSE(reread.exit_now) << reread.text;
  settings expected;
  expected.config_file = p;
  EXPECT_EQ(reread.values, expected);
}

TEST_F(fixture, FlagBeatsEnvironmentBeatsFileBeatsDefault) {
  const auto p = file("port: 1111\nregion: eu-west-1\nshard-limit: 7\nsync: none\n");
  env["EDDY_CONFIG"] = p;
  env["EDDY_PORT"] = "2222";
  env["EDDY_REGION"] = "ap-south-1";
  const auto r = run({"--port", "3333"});
  ASSERT_FALSE(r.exit_now) << r.text;
  EXPECT_EQ(r.values.port, 3333);
  EXPECT_EQ(r.values.region, "ap-south-1");
  EXPECT_EQ(r.values.shard_limit, 7);
  EXPECT_FALSE(r.values.sync_always);
  EXPECT_EQ(r.values.max_connections, settings{}.max_connections);

  const auto shown = run({"--port", "3333", "--print-config"});
  EXPECT_NE(shown.text.find("port: 3333  # flag --port\n"), std::string::npos) << shown.text;
  EXPECT_NE(shown.text.find("region: \"ap-south-1\"  # env EDDY_REGION\n"), std::string::npos) << shown.text;
  EXPECT_NE(shown.text.find("shard-limit: 7  # file line 3\n"), std::string::npos) << shown.text;
  EXPECT_NE(shown.text.find("max-connections: 10000  # default\n"), std::string::npos) << shown.text;
}

TEST_F(fixture, FlagNamesTheConfigFileOverTheEnvironment) {
  env["EDDY_CONFIG"] = file("port: 1111\n");
  const auto other = (dir / "other.yaml").string();
  std::ofstream(other) << "port: 4444\n";
  const auto r = run({"--config=" + other});
  ASSERT_FALSE(r.exit_now) << r.text;
  EXPECT_EQ(r.values.port, 4444);
}

TEST_F(fixture, ErrorsNameTheBadKeyAndWhereItIs) {
  auto r = run({"--config", file("port: 80\nprot: 81\n")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.text.find("line 2: unknown key 'prot'"), std::string::npos) << r.text;

  r = run({"--config", file("threads: many\n")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.text.find("line 1: 'threads' expects an integer from 0 to 256, got 'many'"), std::string::npos) << r.text;

  r = run({"--config", file("port: [1, 2]\n")});
  EXPECT_NE(r.text.find("'port' expects a single value"), std::string::npos) << r.text;

  r = run({"--config", file("port: 1\n  bad: indent\n")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.text.find("line "), std::string::npos) << r.text;

  r = run({"--config", (dir / "missing.yaml").string()});
  EXPECT_NE(r.text.find("missing.yaml cannot be read"), std::string::npos) << r.text;

  r = run({"--config", file("config: other.yaml\n")});
  EXPECT_NE(r.text.find("'config' can only be a flag or EDDY_CONFIG"), std::string::npos) << r.text;

  env["EDDY_SYNC"] = "sometimes";
  r = run({});
  EXPECT_EQ(r.text, "eddy: environment variable EDDY_SYNC expects always or none, got 'sometimes'\n");
  env.clear();

  r = run({"--log-level", "loud"});
  EXPECT_EQ(r.text, "eddy: flag --log-level expects trace, debug, info, warn, error or off, got 'loud'\n");
  r = run({"--nope"});
  EXPECT_EQ(r.text, "eddy: unknown flag --nope (see --help)\n");
  r = run({"--port"});
  EXPECT_EQ(r.text, "eddy: flag --port needs a value\n");
}

TEST_F(fixture, SettingsThatGoTogether) {
  env["EDDY_TLS_CERT"] = "/x.pem";
  auto r = run({});
  EXPECT_EQ(r.text, "eddy: tls-cert and tls-key go together, but only tls-cert is set (env EDDY_TLS_CERT)\n");
  env.clear();
  r = run({"--config", file("auth: sigv4\n")});
  EXPECT_EQ(r.text, "eddy: auth sigv4 (file line 1) needs credentials-file\n");
}

TEST_F(fixture, InitStreamsAndConsumers) {
  auto r = run({"--init-streams", "orders:4, clicks:2:on-demand,audit,burst::ON_DEMAND",
                "--init-consumers", "orders:analytics,orders:audit"});
  ASSERT_FALSE(r.exit_now) << r.text;
  const std::vector<init_stream> streams{
      {"orders", 4, false}, {"clicks", 2, true}, {"audit", std::nullopt, false}, {"burst", std::nullopt, true}};
  EXPECT_EQ(r.values.init_streams, streams);
  const std::vector<init_consumer> consumers{{"orders", "analytics"}, {"orders", "audit"}};
  EXPECT_EQ(r.values.init_consumers, consumers);

  // The file's list forms read the same.
  r = run({"--config", file("init-streams:\n  - orders:4\n  - {name: clicks, shards: 2, mode: on-demand}\n"
                            "  - {name: audit}\n  - {name: burst, mode: on-demand}\n"
                            "init_consumers:\n  - orders:analytics\n  - {stream: orders, consumer: audit}\n")});
  ASSERT_FALSE(r.exit_now) << r.text;
  EXPECT_EQ(r.values.init_streams, streams);
  EXPECT_EQ(r.values.init_consumers, consumers);

  EXPECT_EQ(run({"--init-streams", "a:0"}).text,
            "eddy: flag --init-streams expects a shard count from 1 to 100000 for a, got '0'\n");
  EXPECT_EQ(run({"--init-streams", "a:1:fast"}).text,
            "eddy: flag --init-streams expects provisioned or on-demand as the mode of a, got 'fast'\n");
  EXPECT_EQ(run({"--init-streams", "a b"}).text,
            "eddy: flag --init-streams has a bad stream name 'a b' (1 to 128 of a-z A-Z 0-9 _ . -)\n");
  EXPECT_EQ(run({"--init-streams", "a,a:2"}).text, "eddy: flag --init-streams names stream a twice\n");
  EXPECT_EQ(run({"--init-consumers", "orders"}).text,
            "eddy: flag --init-consumers expects stream:consumer (names of a-z A-Z 0-9 _ . -), got 'orders'\n");
}

TEST_F(fixture, FaultInjection) {
  auto r = run({"--fault-rate", "0.25", "--fault-types", "throttle, internal", "--fault-ops", "PutRecords,GetRecords",
                "--fault-seed", "42", "--latency", "5-20"});
  ASSERT_FALSE(r.exit_now) << r.text;
  EXPECT_DOUBLE_EQ(r.values.fault_rate, 0.25);
  EXPECT_EQ(r.values.fault_types, fault_throttle | fault_internal);
  EXPECT_EQ(r.values.fault_ops, (std::vector<std::string>{"PutRecords", "GetRecords"}));
  EXPECT_EQ(r.values.fault_seed, 42u);
  EXPECT_EQ(r.values.latency_min_ms, 5);
  EXPECT_EQ(r.values.latency_max_ms, 20);
  r = run({"--latency", "30"});
  EXPECT_EQ(r.values.latency_min_ms, 30);
  EXPECT_EQ(r.values.latency_max_ms, 30);

  // The file's list form reads the same as the flag's commas.
  r = run({"--config", file("fault-types: [unavailable]\nfault-ops:\n  - PutRecord\n  - ListShards\n")});
  ASSERT_FALSE(r.exit_now) << r.text;
  EXPECT_EQ(r.values.fault_types, fault_unavailable);
  EXPECT_EQ(r.values.fault_ops, (std::vector<std::string>{"PutRecord", "ListShards"}));

  EXPECT_EQ(run({"--fault-rate", "1.5"}).text, "eddy: flag --fault-rate expects a number from 0 to 1, got '1.5'\n");
  EXPECT_EQ(run({"--fault-types", "internal,slow"}).text,
            "eddy: flag --fault-types expects internal, unavailable or throttle, comma-separated, got 'slow'\n");
  EXPECT_EQ(run({"--fault-ops", "Put Records"}).text,
            "eddy: flag --fault-ops expects operation names such as PutRecords, comma-separated, got 'Put Records'\n");
  EXPECT_EQ(run({"--latency", "20-5"}).text,
            "eddy: flag --latency expects milliseconds (0 to 600000) or a range MIN-MAX, got '20-5'\n");
}

TEST_F(fixture, SwitchesAndEmptyFile) {
  env["EDDY_IN_MEMORY"] = "1";
  auto r = run({"--config", file("")});
  ASSERT_FALSE(r.exit_now) << r.text;
  EXPECT_TRUE(r.values.in_memory);
  r = run({"--in-memory=false"});
  EXPECT_FALSE(r.values.in_memory);
  r = run({"--print-config"});
  EXPECT_NE(r.text.find("in-memory: true  # env EDDY_IN_MEMORY\n"), std::string::npos) << r.text;
  r = run({"--log-format", "json", "--ready-file", "/tmp/r"});
  EXPECT_TRUE(r.values.log_json);
  EXPECT_EQ(r.values.ready_file, "/tmp/r");
}

TEST_F(fixture, HelpAndReferenceListEveryOption) {
  const auto help = run({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  const auto md = run({"--help=markdown"});
  for (const char* name : {"--port", "--init-streams", "--ready-file", "--log-format", "--config"}) {
    EXPECT_NE(help.text.find(name), std::string::npos) << name;
    EXPECT_NE(md.text.find(std::string("`") + name), std::string::npos) << name;
  }
  EXPECT_NE(help.text.find("[EDDY_INIT_STREAMS]"), std::string::npos);
}

}  // namespace
}  // namespace eddy::config

namespace eddy::config {
namespace {

TEST_F(fixture, ConsoleModeIsLoopbackUnlessSaidOtherwise) {
  EXPECT_EQ(run({}).values.console, console_mode::loopback);
  EXPECT_EQ(run({"--console=off"}).values.console, console_mode::off);
  EXPECT_EQ(run({"--console", "on"}).values.console, console_mode::on);
  // YAML reads a bare `off` as text here, not as a boolean.
  EXPECT_EQ(run({"--config", file("console: off\n")}).values.console, console_mode::off);
  env["EDDY_CONSOLE"] = "on";
  EXPECT_EQ(run({}).values.console, console_mode::on);
  env.clear();
  const auto bad = run({"--console", "public"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.text, "eddy: flag --console expects loopback, on or off, got 'public'\n");
}

}  // namespace
}  // namespace eddy::config
