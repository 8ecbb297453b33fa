// GET /console: who is served (--console and the peer's address), which files, with which headers, and what
// bad paths and other methods get. Runs against the console files really embedded in this build.
#include <gtest/gtest.h>

#include "console_route.h"
#include "eddy/console/console_assets.h"
#include "testlib/pipeline_harness.h"

namespace eddy::api {
namespace {

namespace ip = boost::asio::ip;
using config::console_mode;

http_request get(std::string target, std::optional<ip::address> peer = ip::make_address("127.0.0.1"),
                 std::string method = "GET") {
  http_request req;
  req.method = std::move(method);
  req.target = std::move(target);
  req.peer = peer;
  return req;
}

std::string header(const http_response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

TEST(ConsoleRoute, MatchesOnlyTheConsoleAndItsFiles) {
  EXPECT_TRUE(console_route::matches("/console"));
  EXPECT_TRUE(console_route::matches("/console/"));
  EXPECT_TRUE(console_route::matches("/console/assets/x.js"));
  EXPECT_FALSE(console_route::matches("/consoles"));
  EXPECT_FALSE(console_route::matches("/"));
  EXPECT_FALSE(console_route::matches("/metrics"));
}

TEST(ConsoleRoute, LoopbackMeansThe127NetworkAndIpv6LoopbackOnly) {
  for (const char* a : {"127.0.0.1", "127.9.8.7", "::1", "::ffff:127.0.0.1"}) {
    EXPECT_TRUE(is_loopback_peer(ip::make_address(a))) << a;
  }
  for (const char* a : {"10.0.0.1", "192.168.1.2", "128.0.0.1", "::2", "::ffff:10.0.0.1", "fe80::1", "0.0.0.0"}) {
    EXPECT_FALSE(is_loopback_peer(ip::make_address(a))) << a;
  }
}

TEST(ConsoleRoute, ServesThePageToLoopbackPeersAndHidesItFromOthers) {
  const console_route route(console_mode::loopback);
  for (const char* target : {"/console", "/console/", "/console/?x=1", "/console/index.html"}) {
    const auto r = route.serve(get(target));
    ASSERT_EQ(r.status, 200u) << target;
    EXPECT_EQ(header(r, "Content-Type"), "text/html; charset=utf-8");
    EXPECT_EQ(header(r, "Cache-Control"), "no-cache");
    EXPECT_NE(r.body.find("<div id=\"root\">"), std::string::npos);
  }
  EXPECT_EQ(route.serve(get("/console", ip::make_address("::1"))).status, 200u);
  EXPECT_EQ(route.serve(get("/console", ip::make_address("10.1.2.3"))).status, 404u);
  EXPECT_EQ(route.serve(get("/console", ip::make_address("::ffff:192.0.2.1"))).status, 404u);
  EXPECT_EQ(route.serve(get("/console", std::nullopt)).status, 404u);  // unknown peer: not trusted
}

TEST(ConsoleRoute, OnServesEveryoneOffNoOne) {
  EXPECT_EQ(console_route(console_mode::on).serve(get("/console", ip::make_address("203.0.113.9"))).status, 200u);
  EXPECT_EQ(console_route(console_mode::off).serve(get("/console")).status, 404u);
}

TEST(ConsoleRoute, EveryEmbeddedFileIsServedWithItsTypeAndHashedOnesAreImmutable) {
  const console_route route(console_mode::on);
  bool saw_js = false;
  bool saw_css = false;
  ASSERT_FALSE(console::assets().empty());
  for (const auto& a : console::assets()) {
    const auto r = route.serve(get("/console/" + std::string(a.path)));
    ASSERT_EQ(r.status, 200u) << a.path;
    EXPECT_EQ(r.body, a.bytes) << a.path;
    EXPECT_EQ(header(r, "X-Content-Type-Options"), "nosniff");
    if (a.path.starts_with("assets/")) {
      EXPECT_EQ(header(r, "Cache-Control"), "public, max-age=31536000, immutable");
    }
    if (a.path.ends_with(".js")) {
      saw_js = true;
      EXPECT_EQ(header(r, "Content-Type"), "text/javascript; charset=utf-8");
    }
    if (a.path.ends_with(".css")) {
      saw_css = true;
      EXPECT_EQ(header(r, "Content-Type"), "text/css; charset=utf-8");
    }
  }
  EXPECT_TRUE(saw_js);
  EXPECT_TRUE(saw_css);
}

TEST(ConsoleRoute, BadPathsAndOtherMethodsGetPlainRefusals) {
  const console_route route(console_mode::on);
  for (const char* target : {"/console/../etc/passwd", "/console/assets/../index.html", "/console/%2e%2e/x",
                             "/console//index.html", "/console/./index.html", "/console/nope.js",
                             "/console/assets/", "/console/index.html/", "/console/a\\b"}) {
    const auto r = route.serve(get(target));
    EXPECT_EQ(r.status, 404u) << target;
    EXPECT_EQ(header(r, "Content-Type"), "text/plain; charset=utf-8");
  }
  EXPECT_EQ(route.serve(get("/console/" + std::string(600, 'a'))).status, 414u);
  EXPECT_EQ(route.serve(get("/console/" + std::string(100000, '/'))).status, 414u);
  for (const char* method : {"HEAD", "POST", "PUT", "DELETE"}) {
    const auto r = route.serve(get("/console/", ip::make_address("127.0.0.1"), method));
    EXPECT_EQ(r.status, 405u) << method;
    EXPECT_EQ(header(r, "Allow"), "GET");
  }
  // A refused peer learns nothing, not even which methods exist.
  EXPECT_EQ(console_route(console_mode::loopback).serve(get("/console", ip::make_address("10.0.0.1"), "POST")).status,
            404u);
}

TEST(ConsoleRoute, ThePipelineRoutesItBeforeAnyKinesisCheckAndDoesNotCountIt) {
  config::settings settings;
  settings.console = console_mode::loopback;
  testlib::pipeline_harness h(settings);
  auto r = h.call(get("/console"));
  EXPECT_EQ(r.status, 200u);
  r = h.call(get("/console/", ip::make_address("127.0.0.1"), "POST"));
  EXPECT_EQ(r.status, 405u);  // not the Kinesis AccessDeniedException a POST elsewhere would get
  EXPECT_EQ(h.call(get("/console", ip::make_address("192.0.2.7"))).status, 404u);
  const auto metrics = h.get("/metrics").body;
  EXPECT_NE(metrics.find("eddy_api_requests_total{operation=\"unknown\"} 0\n"), std::string::npos) << metrics;
}

}  // namespace
}  // namespace eddy::api
