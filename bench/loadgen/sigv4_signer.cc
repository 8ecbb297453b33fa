#include "sigv4_signer.h"

#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <ctime>

namespace eddy::bench {
namespace {

void hex_append(std::string& out, const unsigned char* p, size_t n) {
  static constexpr char digits[] = "0123456789abcdef";
  for (size_t i = 0; i < n; ++i) {
    out.push_back(digits[p[i] >> 4]);
    out.push_back(digits[p[i] & 15]);
  }
}

std::array<unsigned char, 32> hmac(std::string_view key, std::string_view data) {
  std::array<unsigned char, 32> out{};
  unsigned len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), out.data(), &len);
  return out;
}

std::string_view as_view(const std::array<unsigned char, 32>& a) {
  return {reinterpret_cast<const char*>(a.data()), a.size()};
}

}  // namespace

sigv4_signer::sigv4_signer(std::string access_key_id, std::string secret, std::string region, std::string service)
    : access_key_id_(std::move(access_key_id)),
      secret_(std::move(secret)),
      region_(std::move(region)),
      service_(std::move(service)) {}

const std::array<unsigned char, 32>& sigv4_signer::signing_key(std::string_view date) {
  if (date != key_date_) {
    const auto k_date = hmac("AWS4" + secret_, date);
    const auto k_region = hmac(as_view(k_date), region_);
    const auto k_service = hmac(as_view(k_region), service_);
    signing_key_ = hmac(as_view(k_service), "aws4_request");
    key_date_ = date;
  }
  return signing_key_;
}

std::string sigv4_signer::signature(std::string_view method, std::string_view canonical_uri,
                                    std::string_view canonical_query, std::span<const signed_header> headers,
                                    std::string_view payload_sha256_hex, std::string_view amz_date) {
  std::string& cr = scratch_;
  cr.clear();
  cr.append(method).append("\n").append(canonical_uri).append("\n").append(canonical_query).append("\n");
  for (const auto& h : headers) cr.append(h.name).append(":").append(h.value).append("\n");
  cr.append("\n");
  for (size_t i = 0; i < headers.size(); ++i) cr.append(i ? ";" : "").append(headers[i].name);
  cr.append("\n").append(payload_sha256_hex);

  const std::string_view date = amz_date.substr(0, 8);
  std::string sts;
  sts.reserve(160);
  sts.append("AWS4-HMAC-SHA256\n").append(amz_date).append("\n");
  sts.append(date).append("/").append(region_).append("/").append(service_).append("/aws4_request\n");
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(cr.data()), cr.size(), digest);
  hex_append(sts, digest, sizeof digest);

  const auto sig = hmac(as_view(signing_key(date)), sts);
  std::string out;
  out.reserve(64);
  hex_append(out, sig.data(), sig.size());
  return out;
}

std::string sigv4_signer::authorization(std::string_view method, std::string_view canonical_uri,
                                        std::string_view canonical_query, std::span<const signed_header> headers,
                                        std::string_view payload_sha256_hex, std::string_view amz_date) {
  const std::string sig = signature(method, canonical_uri, canonical_query, headers, payload_sha256_hex, amz_date);
  std::string out;
  out.reserve(256);
  out.append("AWS4-HMAC-SHA256 Credential=").append(access_key_id_).append("/").append(amz_date.substr(0, 8));
  out.append("/").append(region_).append("/").append(service_).append("/aws4_request, SignedHeaders=");
  for (size_t i = 0; i < headers.size(); ++i) out.append(i ? ";" : "").append(headers[i].name);
  out.append(", Signature=").append(sig);
  return out;
}

std::string sha256_hex(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  std::string out;
  out.reserve(64);
  hex_append(out, digest, sizeof digest);
  return out;
}

std::string amz_date(int64_t epoch_seconds) {
  const std::time_t t = static_cast<std::time_t>(epoch_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[17];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

}  // namespace eddy::bench
