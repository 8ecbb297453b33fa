#pragma once
// SigV4 (AWS4-HMAC-SHA256) signing for the load generator's requests.
//
//   canonical request = METHOD \n URI \n QUERY \n (name:value \n)* \n signed;names \n hex(sha256(body))
//   string to sign    = AWS4-HMAC-SHA256 \n yyyymmddThhmmssZ \n yyyymmdd/region/service/aws4_request \n
//                       hex(sha256(canonical request))
//   signing key       = HMAC("AWS4"+secret, yyyymmdd) -> region -> service -> "aws4_request"
//   signature         = hex(HMAC(signing key, string to sign))
//
// Why it is cheap enough to run per request: the signing key changes once a day, so it is cached per
// date; the body hash is computed once per prepared body (bench/loadgen/prepared_body.h), so what is left
// per request is one SHA-256 of a ~300-byte canonical request and one HMAC of a ~150-byte string.
//
// Thread safety: none; one signer per thread (the load generator runs on one).
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace eddy::bench {

struct signed_header {
  std::string_view name;   // lower case
  std::string_view value;  // already trimmed
};

class sigv4_signer {
 public:
  sigv4_signer(std::string access_key_id, std::string secret, std::string region, std::string service);

  // The hex signature. `headers` must be sorted by name and hold each name once.
  std::string signature(std::string_view method, std::string_view canonical_uri, std::string_view canonical_query,
                        std::span<const signed_header> headers, std::string_view payload_sha256_hex,
                        std::string_view amz_date);

  // The whole Authorization header value: "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...".
  std::string authorization(std::string_view method, std::string_view canonical_uri, std::string_view canonical_query,
                            std::span<const signed_header> headers, std::string_view payload_sha256_hex,
                            std::string_view amz_date);

  const std::string& access_key_id() const { return access_key_id_; }

 private:
  const std::array<unsigned char, 32>& signing_key(std::string_view date);

  std::string access_key_id_;
  std::string secret_;
  std::string region_;
  std::string service_;
  std::string key_date_;  // the yyyymmdd signing_key_ belongs to
  std::array<unsigned char, 32> signing_key_{};
  std::string scratch_;   // reused canonical-request buffer
};

std::string sha256_hex(std::string_view data);

// "yyyymmddThhmmssZ" for a system-clock time in seconds since the epoch.
std::string amz_date(int64_t epoch_seconds);

}  // namespace eddy::bench
