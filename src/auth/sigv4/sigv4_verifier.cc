#include "eddy/auth/sigv4_verifier.h"

#include "eddy/base/clock.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>

namespace eddy::auth {
namespace {

constexpr int64_t kMaxSkewMs = 5 * 60 * 1000;

std::string hex(const unsigned char* p, size_t n) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out.push_back(digits[p[i] >> 4]);
    out.push_back(digits[p[i] & 15]);
  }
  return out;
}

std::string hmac(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

// RFC 3986 unreserved characters stay; everything else becomes %XX (upper-case hex).
std::string uri_encode(std::string_view s, bool keep_slash) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || (keep_slash && c == '/')) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(digits[c >> 4]);
      out.push_back(digits[c & 15]);
    }
  }
  return out;
}

// Resolves "." and ".." segments, as SigV4 normalises paths for every service but S3.
std::string normalize_path(std::string_view path) {
  std::vector<std::string_view> segments;
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    const auto seg = path.substr(i, j - i);
    if (seg == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!seg.empty() && seg != ".") {
      segments.push_back(seg);
    }
    i = j + 1;
  }
  std::string out;
  for (const auto& seg : segments) out.append("/").append(seg);
  if (out.empty() || (path.size() > 1 && path.back() == '/')) out.push_back('/');
  return out;
}

std::string trim_collapse(std::string_view v) {
  std::string out;
  bool space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::optional<std::string_view> header(const signed_request& req, std::string_view name) {
  for (const auto& [k, v] : *req.headers) {
    if (k == name) return std::string_view(v);
  }
  return std::nullopt;
}

constexpr const char* kAmzDate = "%Y%m%dT%H%M%SZ";

std::optional<int64_t> parse_amz_date(std::string_view s) { return parse_utc(s, kAmzDate); }
std::string amz_date(int64_t ms) { return format_utc(ms, kAmzDate); }

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i <= s.size()) {
    size_t j = s.find(sep, i);
    if (j == std::string_view::npos) j = s.size();
    out.emplace_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

verify_error mismatch() {
  return {verify_errc::invalid_signature,
          "The request signature we calculated does not match the signature you provided. Check your AWS Secret "
          "Access Key and signing method. Consult the service documentation for details."};
}

}  // namespace

result<credential_store, std::string> credential_store::parse(std::string_view text) {
  credential_store store;
  std::istringstream in{std::string(text)};
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    std::istringstream fields(line);
    credential c;
    if (!(fields >> c.access_key_id) || c.access_key_id[0] == '#') continue;
    std::string extra;
    if (!(fields >> c.secret_access_key >> c.account_id) || (fields >> extra)) {
      return fail("line " + std::to_string(n) + ": expected ACCESS_KEY_ID SECRET_ACCESS_KEY ACCOUNT_ID");
    }
    if (c.account_id.size() != 12 || c.account_id.find_first_not_of("0123456789") != std::string::npos) {
      return fail("line " + std::to_string(n) + ": the account id must be 12 digits, got '" + c.account_id + "'");
    }
    store.by_key_[c.access_key_id] = std::move(c);
  }
  if (store.by_key_.empty()) return fail(std::string("no credentials found"));
  return store;
}

result<credential_store, std::string> credential_store::load(const std::string& path) {
  std::ifstream f(path);
  if (!f) return fail("cannot read " + path);
  std::stringstream buf;
  buf << f.rdbuf();
  auto r = parse(buf.str());
  if (!r) return fail(path + ": " + r.error());
  return r;
}

const credential* credential_store::find(std::string_view access_key_id) const {
  auto it = by_key_.find(access_key_id);
  return it == by_key_.end() ? nullptr : &it->second;
}

std::string sha256_hex(std::string_view data) {
  unsigned char out[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), out);
  return hex(out, sizeof out);
}

std::string canonical_request(const signed_request& req, const std::vector<std::string>& signed_headers,
                              std::string_view payload_hash, bool presigned) {
  const auto q = req.target.find('?');
  const std::string_view path = req.target.substr(0, q);
  const std::string_view query = q == std::string_view::npos ? std::string_view() : req.target.substr(q + 1);

  std::vector<std::pair<std::string, std::string>> params;
  for (const auto& pair : split(query, '&')) {
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    std::string k = url_decode(pair.substr(0, eq));
    std::string v = eq == std::string::npos ? std::string() : url_decode(pair.substr(eq + 1));
    if (presigned && k == "X-Amz-Signature") continue;
    params.emplace_back(uri_encode(k, false), uri_encode(v, false));
  }
  std::sort(params.begin(), params.end());

  std::string out;
  out.append(req.method).append("\n");
  out.append(uri_encode(normalize_path(path.empty() ? "/" : path), true)).append("\n");
  for (size_t i = 0; i < params.size(); ++i) {
    out.append(i ? "&" : "").append(params[i].first).append("=").append(params[i].second);
  }
  out.append("\n");
  for (const auto& name : signed_headers) {
    std::string value;
    bool first = true;
    for (const auto& [k, v] : *req.headers) {
      if (k != name) continue;
      value.append(first ? "" : ",").append(trim_collapse(v));
      first = false;
    }
    out.append(name).append(":").append(value).append("\n");
  }
  out.append("\n");
  for (size_t i = 0; i < signed_headers.size(); ++i) out.append(i ? ";" : "").append(signed_headers[i]);
  out.append("\n").append(payload_hash);
  return out;
}

std::string sign(std::string_view secret, std::string_view date, std::string_view region, std::string_view service,
                 std::string_view string_to_sign) {
  const std::string k_date = hmac("AWS4" + std::string(secret), date);
  const std::string k_region = hmac(k_date, region);
  const std::string k_service = hmac(k_region, service);
  const std::string k_signing = hmac(k_service, "aws4_request");
  const std::string sig = hmac(k_signing, string_to_sign);
  return hex(reinterpret_cast<const unsigned char*>(sig.data()), sig.size());
}

result<verified, verify_error> verify(const credential_store& store, const signed_request& req, int64_t now_ms) {
  const auto q = req.target.find('?');
  const std::string_view query = q == std::string_view::npos ? std::string_view() : req.target.substr(q + 1);
  const auto authorization = header(req, "authorization");
  const bool presigned = !authorization;

  std::string credential_text, signed_headers_text, signature, date_text;
  std::optional<int64_t> expires_s;
  if (authorization) {
    const auto params = authorization_params(*authorization);
    const auto get = [&params](const char* k) {
      auto it = params.find(k);
      return it == params.end() ? std::string() : it->second;
    };
    credential_text = get("Credential");
    signed_headers_text = get("SignedHeaders");
    signature = get("Signature");
    if (auto d = header(req, "x-amz-date")) {
      date_text = *d;
    } else if (auto rfc = header(req, "date")) {
      if (auto ms = parse_utc(*rfc, "%a, %d %b %Y %H:%M:%S GMT")) date_text = amz_date(*ms);
    }
  } else {
    credential_text = query_param(query, "X-Amz-Credential").value_or("");
    signed_headers_text = query_param(query, "X-Amz-SignedHeaders").value_or("");
    signature = query_param(query, "X-Amz-Signature").value_or("");
    date_text = query_param(query, "X-Amz-Date").value_or("");
    if (auto e = query_param(query, "X-Amz-Expires")) {
      // AWS allows 1 s to 7 days; anything else (or not a number) cannot verify.
      int64_t v = 0;
      const auto [p, ec] = std::from_chars(e->data(), e->data() + e->size(), v);
      if (ec != std::errc{} || p != e->data() + e->size() || v < 1 || v > 604800) return fail(mismatch());
      expires_s = v;
    }
  }

  const auto scope = split(credential_text, '/');
  if (scope.size() != 5 || scope[4] != "aws4_request") return fail(mismatch());
  const credential* who = store.find(scope[0]);
  if (!who) {
    return fail(verify_error{verify_errc::unrecognized_client, "The security token included in the request is invalid."});
  }

  const auto when = parse_amz_date(date_text);
  if (!when || date_text.substr(0, 8) != scope[1]) return fail(mismatch());
  if (presigned && expires_s && now_ms > *when + *expires_s * 1000) {
    return fail(verify_error{verify_errc::invalid_signature,
                             "Signature expired: " + date_text + " is now earlier than " +
                                 amz_date(now_ms - *expires_s * 1000) + " (" + amz_date(now_ms) + " - " +
                                 std::to_string(*expires_s) + " sec.)"});
  }
  if (!presigned && *when < now_ms - kMaxSkewMs) {
    return fail(verify_error{verify_errc::invalid_signature,
                             "Signature expired: " + date_text + " is now earlier than " + amz_date(now_ms - kMaxSkewMs) +
                                 " (" + amz_date(now_ms) + " - 5 min.)"});
  }
  if (*when > now_ms + kMaxSkewMs) {
    return fail(verify_error{verify_errc::invalid_signature,
                             "Signature not yet current: " + date_text + " is still later than " +
                                 amz_date(now_ms + kMaxSkewMs) + " (" + amz_date(now_ms) + " + 5 min.)"});
  }

  const std::vector<std::string> signed_headers = split(signed_headers_text, ';');
  // The client may declare the hash (or UNSIGNED-PAYLOAD) in a header that is itself signed.
  const auto declared = header(req, "x-amz-content-sha256");
  const std::string payload_hash = declared && !declared->empty() ? std::string(*declared) : sha256_hex(req.body);
  const std::string canonical = canonical_request(req, signed_headers, payload_hash, presigned);
  const std::string string_to_sign = "AWS4-HMAC-SHA256\n" + date_text + "\n" + scope[1] + "/" + scope[2] + "/" +
                                     scope[3] + "/aws4_request\n" + sha256_hex(canonical);
  const std::string expected = sign(who->secret_access_key, scope[1], scope[2], scope[3], string_to_sign);
  if (expected.size() != signature.size() || CRYPTO_memcmp(expected.data(), signature.data(), expected.size()) != 0) {
    return fail(mismatch());
  }
  return verified{who, scope[2]};
}

}  // namespace eddy::auth
