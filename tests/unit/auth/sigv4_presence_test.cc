#include "eddy/auth/sigv4_presence.h"

#include <gtest/gtest.h>

namespace eddy::auth {
namespace {

constexpr std::string_view kHeader =
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/eu-west-1/kinesis/aws4_request, "
    "SignedHeaders=host;x-amz-date, Signature=abcdef";

TEST(Sigv4Presence, ReadsTheCredentialScope) {
  auto r = check_presence({kHeader, "20240101T000000Z", std::nullopt, ""});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->access_key_id, "AKIDEXAMPLE");
  EXPECT_EQ(r->date, "20240101");
  EXPECT_EQ(r->region, "eu-west-1");
  EXPECT_EQ(r->service, "kinesis");
}

TEST(Sigv4Presence, MissingEverythingIsMissingAuthenticationToken) {
  auto r = check_presence({std::nullopt, std::nullopt, std::nullopt, ""});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, auth_errc::missing_authentication_token);
  EXPECT_EQ(r.error().message, "Missing Authentication Token");
}

TEST(Sigv4Presence, ListsEveryMissingHeaderPart) {
  const std::string header = "AWS4-HMAC-SHA256 Credential=a/b/c/d/e";
  auto r = check_presence({header, std::nullopt, std::nullopt, ""});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, auth_errc::incomplete_signature);
  EXPECT_EQ(r.error().message,
            "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' "
            "parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
            "Authorization=" + header);
}

TEST(Sigv4Presence, DateHeaderStandsInForXAmzDate) {
  EXPECT_TRUE(check_presence({kHeader, std::nullopt, "Mon, 01 Jan 2024 00:00:00 GMT", ""}).ok());
}

TEST(Sigv4Presence, BothFormsAtOnceIsInvalidSignature) {
  auto r = check_presence({kHeader, "20240101T000000Z", std::nullopt, "X-Amz-Algorithm=AWS4-HMAC-SHA256"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, auth_errc::invalid_signature);
}

TEST(Sigv4Presence, QueryFormNamesMissingParameters) {
  auto r = check_presence({std::nullopt, std::nullopt, std::nullopt,
                           "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20240101%2Fus-west-2%2Fkinesis%2Faws4_request"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "AWS query-string parameters must include 'X-Amz-Signature'. AWS query-string parameters must include "
            "'X-Amz-SignedHeaders'. AWS query-string parameters must include 'X-Amz-Date'. Re-examine the "
            "query-string parameters.");
}

TEST(Sigv4Presence, CompleteQueryFormYieldsDecodedScope) {
  auto r = check_presence({std::nullopt, std::nullopt, std::nullopt,
                           "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=111122223333%2F20240101%2Fus-west-2%2F"
                           "kinesis%2Faws4_request&X-Amz-Signature=ab&X-Amz-SignedHeaders=host&X-Amz-Date=20240101T0"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->access_key_id, "111122223333");
  EXPECT_EQ(r->region, "us-west-2");
}

}  // namespace
}  // namespace eddy::auth
