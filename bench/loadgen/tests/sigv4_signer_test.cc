// The load generator's SigV4 signer against AWS's published SigV4 test-suite vectors (credentials
// AKIDEXAMPLE / wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, 20150830T123600Z, us-east-1, service "service"),
// and a Kinesis-shaped request it signs checked by the broker's own verifier (src/auth/sigv4).
#include "sigv4_signer.h"

#include "eddy/auth/sigv4_verifier.h"

#include <gtest/gtest.h>

namespace eddy::bench {
namespace {

constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr std::string_view kDate = "20150830T123600Z";
const std::string kEmptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

sigv4_signer suite_signer() { return sigv4_signer("AKIDEXAMPLE", std::string(kSecret), "us-east-1", "service"); }

TEST(Sigv4Signer, Sha256OfNothingIsTheWellKnownDigest) { EXPECT_EQ(sha256_hex(""), kEmptyHash); }

TEST(Sigv4Signer, MatchesGetVanilla) {
  auto s = suite_signer();
  const signed_header h[] = {{"host", "example.amazonaws.com"}, {"x-amz-date", kDate}};
  EXPECT_EQ(s.authorization("GET", "/", "", h, kEmptyHash, kDate),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

TEST(Sigv4Signer, MatchesPostVanillaAndPostVanillaQuery) {
  auto s = suite_signer();
  const signed_header h[] = {{"host", "example.amazonaws.com"}, {"x-amz-date", kDate}};
  EXPECT_EQ(s.signature("POST", "/", "", h, kEmptyHash, kDate),
            "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
  EXPECT_EQ(s.signature("POST", "/", "Param1=value1", h, kEmptyHash, kDate),
            "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11");
}

TEST(Sigv4Signer, MatchesPostFormUrlencodedWhereTheBodyHashCounts) {
  auto s = suite_signer();
  const std::string body_hash = sha256_hex("Param1=value1");
  const signed_header plain[] = {
      {"content-type", "application/x-www-form-urlencoded"}, {"host", "example.amazonaws.com"}, {"x-amz-date", kDate}};
  EXPECT_EQ(s.signature("POST", "/", "", plain, body_hash, kDate),
            "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a");
  const signed_header charset[] = {{"content-type", "application/x-www-form-urlencoded; charset=utf8"},
                                   {"host", "example.amazonaws.com"},
                                   {"x-amz-date", kDate}};
  EXPECT_EQ(s.signature("POST", "/", "", charset, body_hash, kDate),
            "1a72ec8f64bd914b0e42e42607c7fbce7fb2c7465f63e3092b3b0d39fa77a6fe");
}

TEST(Sigv4Signer, CachedSigningKeyFollowsTheDate) {
  auto s = suite_signer();
  const signed_header h[] = {{"host", "example.amazonaws.com"}, {"x-amz-date", "20150831T000000Z"}};
  const std::string next_day = s.signature("GET", "/", "", h, kEmptyHash, "20150831T000000Z");
  const signed_header v[] = {{"host", "example.amazonaws.com"}, {"x-amz-date", kDate}};
  EXPECT_EQ(s.signature("GET", "/", "", v, kEmptyHash, kDate),
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
  EXPECT_NE(next_day, s.signature("GET", "/", "", h, kEmptyHash, "20150831T000001Z"));
}

TEST(Sigv4Signer, AmzDateFormatsUtc) { EXPECT_EQ(amz_date(1440938160), kDate); }

// What eddy-bench sends, verified by the broker's strict verifier (--auth=sigv4).
TEST(Sigv4Signer, KinesisRequestPassesTheBrokersVerifier) {
  sigv4_signer s("AKIABENCH", "benchsecret", "us-east-1", "kinesis");
  const std::string body = R"({"StreamName":"s","PartitionKey":"k","Data":"eA=="})";
  const std::string target = "Kinesis_20131202.PutRecord";
  const std::string date = amz_date(1440938160);
  const signed_header h[] = {{"content-type", "application/x-amz-json-1.1"},
                             {"host", "127.0.0.1:4567"},
                             {"x-amz-date", date},
                             {"x-amz-target", target}};
  const std::string authorization = s.authorization("POST", "/", "", h, sha256_hex(body), date);

  auto store = auth::credential_store::parse("AKIABENCH benchsecret 111122223333\n").value();
  const std::vector<std::pair<std::string, std::string>> headers = {
      {"host", "127.0.0.1:4567"},         {"content-type", "application/x-amz-json-1.1"},
      {"x-amz-target", target},           {"x-amz-date", date},
      {"authorization", authorization},   {"content-length", std::to_string(body.size())}};
  const auth::signed_request req{"POST", "/", &headers, body};
  auto ok = auth::verify(store, req, 1440938160000);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok.value().region, "us-east-1");

  const auth::signed_request tampered{"POST", "/", &headers, body + " "};
  EXPECT_FALSE(auth::verify(store, tampered, 1440938160000));
}

}  // namespace
}  // namespace eddy::bench
