#pragma once
// Strict SigV4 verification (--auth=sigv4): recomputes the signature of each request from the secret in
// the credentials file and compares it, in the header form and the presigned query-string form.
//
// Canonical request (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html):
//   METHOD \n canonical URI \n canonical query \n canonical headers \n \n signed headers \n payload hash
// String to sign:
//   AWS4-HMAC-SHA256 \n yyyymmddThhmmssZ \n date/region/service/aws4_request \n hex(sha256(canonical request))
// Signing key: HMAC chain "AWS4"+secret -> date -> region -> service -> "aws4_request".
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "eddy/auth/sigv4_presence.h"
#include "eddy/base/result.h"

namespace eddy::auth {

struct credential {
  std::string access_key_id;
  std::string secret_access_key;
  std::string account_id;  // 12 digits
};

// Thread safety: immutable after load; safe from any thread.
class credential_store {
 public:
  // One credential per line: ACCESS_KEY_ID SECRET_ACCESS_KEY ACCOUNT_ID (whitespace separated);
  // blank lines and lines starting with '#' are skipped. The error names the bad line.
  static result<credential_store, std::string> parse(std::string_view text);
  static result<credential_store, std::string> load(const std::string& path);

  const credential* find(std::string_view access_key_id) const;
  size_t size() const { return by_key_.size(); }

 private:
  std::map<std::string, credential, std::less<>> by_key_;
};

struct signed_request {
  std::string_view method;
  std::string_view target;  // path and query as received
  const std::vector<std::pair<std::string, std::string>>* headers;  // lower-case names
  std::string_view body;
};

enum class verify_errc {
  unrecognized_client,  // no such access key: UnrecognizedClientException
  invalid_signature,    // mismatch or outside the clock-skew window: InvalidSignatureException
};

struct verify_error {
  verify_errc code;
  std::string message;
};

struct verified {
  const credential* who;
  std::string region;
};

// `now_ms` is injected so tests can pin the clock; requests more than 5 minutes away from it are refused.
result<verified, verify_error> verify(const credential_store& store, const signed_request& req, int64_t now_ms);

// Exposed for the test vectors.
std::string canonical_request(const signed_request& req, const std::vector<std::string>& signed_headers,
                              std::string_view payload_hash, bool presigned);
std::string sign(std::string_view secret, std::string_view date, std::string_view region, std::string_view service,
                 std::string_view string_to_sign);
std::string sha256_hex(std::string_view data);

}  // namespace eddy::auth
