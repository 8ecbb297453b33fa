#pragma once
// SigV4 presence checks, as AWS makes them before it looks at a signature, and the credential scope
// (access key, date, region, service) that selects the caller's account and region.
//
// Header form:  Authorization: AWS4-HMAC-SHA256 Credential=<AKID>/<yyyymmdd>/<region>/kinesis/aws4_request,
//               SignedHeaders=<h1;h2>, Signature=<hex64>          plus X-Amz-Date or Date
// Query form:   ?X-Amz-Algorithm=..&X-Amz-Credential=..&X-Amz-Signature=..&X-Amz-SignedHeaders=..&X-Amz-Date=..
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "eddy/base/result.h"

namespace eddy::auth {

struct auth_inputs {
  std::optional<std::string_view> authorization;
  std::optional<std::string_view> amz_date;
  std::optional<std::string_view> date;
  std::string_view query;  // the raw query string, without '?'
};

struct credential_scope {
  std::string access_key_id;
  std::string date;     // yyyymmdd, may be empty when the credential is malformed
  std::string region;   // may be empty
  std::string service;  // may be empty
};

enum class auth_errc {
  missing_authentication_token,  // neither form present
  incomplete_signature,          // a form present with parts missing
  invalid_signature,             // both forms at once
};

struct auth_error {
  auth_errc code;
  std::string message;
};

result<credential_scope, auth_error> check_presence(const auth_inputs& in);

// "AWS4-HMAC-SHA256 Credential=a/b, SignedHeaders=x;y, Signature=z" -> {Credential: a/b, ...}
std::map<std::string, std::string, std::less<>> authorization_params(std::string_view header);

// Percent-decodes a query-string component ('+' stays '+', as SigV4 canonicalises).
std::string url_decode(std::string_view s);

// The value of `name` in a raw query string, decoded; nullopt when absent.
std::optional<std::string> query_param(std::string_view query, std::string_view name);

}  // namespace eddy::auth
