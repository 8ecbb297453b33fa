// AWS's published SigV4 test-suite vectors (AKIDEXAMPLE, region us-east-1, service "service").
#include "eddy/auth/sigv4_verifier.h"

#include <gtest/gtest.h>

namespace eddy::auth {
namespace {

constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr int64_t kWhen = 1440938160000;  // 20150830T123600Z

struct vector_case {
  const char* name;
  const char* method;
  const char* target;
  std::vector<std::pair<std::string, std::string>> headers;  // without authorization
  std::vector<std::string> signed_headers;
  const char* signature;
};

std::vector<std::pair<std::string, std::string>> base(std::vector<std::pair<std::string, std::string>> extra = {}) {
  std::vector<std::pair<std::string, std::string>> h = {{"host", "example.amazonaws.com"}, {"x-amz-date", "20150830T123600Z"}};
  h.insert(h.end(), extra.begin(), extra.end());
  return h;
}

const std::vector<vector_case>& cases() {
  static const std::vector<vector_case> c = {
      {"get-vanilla", "GET", "/", base(), {"host", "x-amz-date"},
       "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
      {"post-vanilla", "POST", "/", base(), {"host", "x-amz-date"},
       "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"},
      {"post-vanilla-query", "POST", "/?Param1=value1", base(), {"host", "x-amz-date"},
       "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11"},
      {"get-vanilla-query-order-key", "GET", "/?Param1=value2&Param1=Value1", base(), {"host", "x-amz-date"},
       "eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1"},
      {"get-vanilla-query-order-key-case", "GET", "/?Param2=value2&Param1=value1", base(), {"host", "x-amz-date"},
       "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"},
      {"get-header-value-order", "GET", "/",
       base({{"my-header1", "value4"}, {"my-header1", "value1"}, {"my-header1", "value3"}, {"my-header1", "value2"}}),
       {"host", "my-header1", "x-amz-date"}, "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01"},
      {"get-relative-relative", "GET", "/example1/example2/../..", base(), {"host", "x-amz-date"},
       "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
      {"post-sts-header-before", "POST", "/",
       base({{"x-amz-security-token",
              "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8"
              "YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6f"
              "E8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQ"
              "wj2ICCR/oLxBA=="}}),
       {"host", "x-amz-date", "x-amz-security-token"}, "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead"},
  };
  return c;
}

credential_store store() {
  return credential_store::parse("# test keys\nAKIDEXAMPLE " + std::string(kSecret) + " 111122223333\n").value();
}

std::string authorization(const vector_case& c, const char* signature) {
  std::string signed_headers;
  for (size_t i = 0; i < c.signed_headers.size(); ++i) signed_headers += (i ? ";" : "") + c.signed_headers[i];
  return "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=" +
         signed_headers + ", Signature=" + signature;
}

TEST(Sigv4Verifier, AcceptsEveryPublishedVector) {
  const auto creds = store();
  for (const auto& c : cases()) {
    auto headers = c.headers;
    headers.emplace_back("authorization", authorization(c, c.signature));
    auto r = verify(creds, {c.method, c.target, &headers, ""}, kWhen);
    ASSERT_TRUE(r.ok()) << c.name << ": " << r.error().message;
    EXPECT_EQ(r->who->account_id, "111122223333");
    EXPECT_EQ(r->region, "us-east-1");
  }
}

TEST(Sigv4Verifier, RejectsAChangedBodyHeaderOrSignature) {
  const auto creds = store();
  const auto& c = cases()[1];  // post-vanilla, empty body
  auto headers = c.headers;
  headers.emplace_back("authorization", authorization(c, c.signature));
  auto body = verify(creds, {c.method, c.target, &headers, "{}"}, kWhen);
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.error().code, verify_errc::invalid_signature);
  EXPECT_EQ(body.error().message.rfind("The request signature we calculated does not match", 0), 0u);
  auto other_method = verify(creds, {"PUT", c.target, &headers, ""}, kWhen);
  EXPECT_FALSE(other_method.ok());
  auto tampered = c.headers;
  tampered[0].second = "evil.example.com";
  tampered.emplace_back("authorization", authorization(c, c.signature));
  EXPECT_FALSE(verify(creds, {c.method, c.target, &tampered, ""}, kWhen).ok());
}

TEST(Sigv4Verifier, UnknownKeyIsUnrecognizedClient) {
  const auto creds = credential_store::parse("OTHERKEY secret 111122223333").value();
  const auto& c = cases()[0];
  auto headers = c.headers;
  headers.emplace_back("authorization", authorization(c, c.signature));
  auto r = verify(creds, {c.method, c.target, &headers, ""}, kWhen);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, verify_errc::unrecognized_client);
  EXPECT_EQ(r.error().message, "The security token included in the request is invalid.");
}

TEST(Sigv4Verifier, EnforcesAFiveMinuteClockSkew) {
  const auto creds = store();
  const auto& c = cases()[0];
  auto headers = c.headers;
  headers.emplace_back("authorization", authorization(c, c.signature));
  EXPECT_TRUE(verify(creds, {c.method, c.target, &headers, ""}, kWhen + 299'000).ok());
  auto late = verify(creds, {c.method, c.target, &headers, ""}, kWhen + 301'000);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().message,
            "Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z (20150830T124101Z - 5 min.)");
  auto early = verify(creds, {c.method, c.target, &headers, ""}, kWhen - 301'000);
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().message.rfind("Signature not yet current: 20150830T123600Z is still later than", 0), 0u);
}

TEST(Sigv4Verifier, PresignedQueryFormAndUnsignedPayload) {
  // Sign a presigned request with our own signer, then verify it; the signature parameter is excluded.
  const auto creds = store();
  const std::string base_target =
      "/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fkinesis%2Faws4_request"
      "&X-Amz-Date=20150830T123600Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host";
  std::vector<std::pair<std::string, std::string>> headers = {{"host", "localhost:4567"},
                                                              {"x-amz-content-sha256", "UNSIGNED-PAYLOAD"}};
  const signed_request unsigned_req{"POST", base_target, &headers, "body is not hashed"};
  const std::string canonical = canonical_request(unsigned_req, {"host"}, "UNSIGNED-PAYLOAD", true);
  const std::string sts = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/kinesis/aws4_request\n" + sha256_hex(canonical);
  const std::string target = base_target + "&X-Amz-Signature=" + sign(kSecret, "20150830", "us-east-1", "kinesis", sts);
  EXPECT_TRUE(verify(creds, {"POST", target, &headers, "body is not hashed"}, kWhen + 30'000).ok());
  auto expired = verify(creds, {"POST", target, &headers, "body is not hashed"}, kWhen + 61'000);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().message.rfind("Signature expired", 0), 0u);
}

TEST(CredentialStore, NamesTheBadLine) {
  EXPECT_EQ(credential_store::parse("A B 111122223333\nC D\n").error(),
            "line 2: expected ACCESS_KEY_ID SECRET_ACCESS_KEY ACCOUNT_ID");
  EXPECT_EQ(credential_store::parse("A B 123").error(), "line 1: the account id must be 12 digits, got '123'");
  EXPECT_FALSE(credential_store::parse("# nothing\n").ok());
}

}  // namespace
}  // namespace eddy::auth
