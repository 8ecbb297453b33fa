// SigV4 on a request as a client sends it (auth/sigv4_presence.h, auth/sigv4_verifier.h): the presence
// checks every request passes, the Authorization header's parameters, the query-string form, and the
// strict verifier (--auth=sigv4) with its canonical request, against the credentials the capture
// clients signed with (tests/fuzz/README.md).
//
// Input: an HTTP/1.1 request, "METHOD TARGET VERSION", header lines, an empty line and the body, split
// here as simply as possible (the HTTP parser has its own target). The verifier's clock is the request's
// own X-Amz-Date when it has one, so a captured request verifies and mutations start from a valid
// signature.
// Properties: the checks return, whatever the text; a request the verifier accepts also passes the
// presence checks, and is signed by the key it names.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "eddy/auth/sigv4_presence.h"
#include "eddy/auth/sigv4_verifier.h"
#include "eddy/base/clock.h"

namespace {

namespace auth = eddy::auth;

struct request {
  std::string method, target;
  std::vector<std::pair<std::string, std::string>> headers;  // lower-case names, as sessions give them
  std::string body;

  std::optional<std::string_view> header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
      if (k == name) return std::string_view(v);
    }
    return std::nullopt;
  }
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

request split(std::string_view in) {
  request r;
  size_t line_end = in.find('\n');
  std::string_view line = trim(in.substr(0, line_end));
  const size_t sp1 = line.find(' ');
  r.method = std::string(line.substr(0, sp1));
  if (sp1 != std::string_view::npos) r.target = std::string(line.substr(sp1 + 1, line.find(' ', sp1 + 1) - sp1 - 1));
  while (line_end != std::string_view::npos) {
    const size_t start = line_end + 1;
    line_end = in.find('\n', start);
    line = trim(in.substr(start, line_end == std::string_view::npos ? std::string_view::npos : line_end - start));
    if (line.empty()) {
      if (line_end != std::string_view::npos) r.body = std::string(in.substr(line_end + 1));
      break;
    }
    const size_t colon = line.find(':');
    std::string name(trim(line.substr(0, colon)));
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.headers.emplace_back(std::move(name), colon == std::string_view::npos ? "" : std::string(trim(line.substr(colon + 1))));
  }
  return r;
}

const auth::credential_store& store() {
  static const auth::credential_store s = *auth::credential_store::parse(
      "AKIDEXAMPLE secret 000000000000\n"
      "AKIDOTHER x 123456789012\n");
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const request r = split(std::string_view(reinterpret_cast<const char*>(data), size));

  auth::auth_inputs in{r.header("authorization"), r.header("x-amz-date"), r.header("date"), {}};
  if (const auto q = r.target.find('?'); q != std::string::npos) in.query = std::string_view(r.target).substr(q + 1);
  const auto presence = auth::check_presence(in);
  if (in.authorization) (void)auth::authorization_params(*in.authorization);
  (void)auth::query_param(in.query, "X-Amz-Credential");

  int64_t now = 1704067200000;  // 2024-01-01
  if (const auto d = r.header("x-amz-date")) {
    if (const auto ms = eddy::parse_utc(*d, "%Y%m%dT%H%M%SZ")) now = *ms;
  }
  const auto verified = auth::verify(store(), {r.method, r.target, &r.headers, r.body}, now);
  // EDDY_FUZZ_SHOW=1 prints both verdicts (to look at one input: run the target on it).
  if (std::getenv("EDDY_FUZZ_SHOW")) {
    std::fprintf(stderr, "presence: %s; verify: %s\n", presence ? "ok" : presence.error().message.c_str(),
                 verified ? "ok" : verified.error().message.c_str());
  }
  if (verified) {
    if (!presence) std::abort();
    if (presence->access_key_id != verified->who->access_key_id) std::abort();
  }
  return 0;
}
