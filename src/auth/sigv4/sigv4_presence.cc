#include "eddy/auth/sigv4_presence.h"

#include <map>
#include <vector>

namespace eddy::auth {
namespace {

credential_scope parse_credential(std::string_view cred) {
  credential_scope scope;
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const size_t slash = cred.find('/', start);
    parts.emplace_back(cred.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  scope.access_key_id = parts[0];
  if (parts.size() > 1) scope.date = parts[1];
  if (parts.size() > 2) scope.region = parts[2];
  if (parts.size() > 3) scope.service = parts[3];
  return scope;
}

}  // namespace

std::map<std::string, std::string, std::less<>> authorization_params(std::string_view header) {
  std::map<std::string, std::string, std::less<>> out;
  bool first = true;
  size_t i = 0;
  while (i < header.size()) {
    while (i < header.size() && (header[i] == ' ' || header[i] == ',')) ++i;
    size_t j = i;
    while (j < header.size() && header[j] != ' ' && header[j] != ',') ++j;
    if (j > i) {
      std::string_view token = header.substr(i, j - i);
      if (!first) {
        const size_t eq = token.find('=');
        if (eq != std::string_view::npos) {
          out.emplace(std::string(token.substr(0, eq)), std::string(token.substr(eq + 1)));
        } else {
          out.emplace(std::string(token), std::string());
        }
      }
      first = false;
    }
    i = j;
  }
  return out;
}

std::string url_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
      };
      const int hi = hex(s[i + 1]);
      const int lo = hex(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

std::optional<std::string> query_param(std::string_view query, std::string_view name) {
  size_t start = 0;
  while (start <= query.size()) {
    size_t amp = query.find('&', start);
    if (amp == std::string_view::npos) amp = query.size();
    std::string_view pair = query.substr(start, amp - start);
    const size_t eq = pair.find('=');
    if (url_decode(pair.substr(0, eq)) == name) {
      return eq == std::string_view::npos ? std::string() : url_decode(pair.substr(eq + 1));
    }
    start = amp + 1;
  }
  return std::nullopt;
}

result<credential_scope, auth_error> check_presence(const auth_inputs& in) {
  const bool query_form = query_param(in.query, "X-Amz-Algorithm").has_value();
  if (in.authorization && query_form) {
    return fail(auth_error{auth_errc::invalid_signature,
                           "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP "
                           "header."});
  }
  if (!in.authorization && !query_form) {
    return fail(auth_error{auth_errc::missing_authentication_token, "Missing Authentication Token"});
  }
  std::string msg;
  if (in.authorization) {
    const auto params = authorization_params(*in.authorization);
    for (const char* p : {"Credential", "Signature", "SignedHeaders"}) {
      auto it = params.find(p);
      if (it == params.end() || it->second.empty()) {
        msg += std::string("Authorization header requires '") + p + "' parameter. ";
      }
    }
    if ((!in.amz_date || in.amz_date->empty()) && (!in.date || in.date->empty())) {
      msg += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
    }
    if (!msg.empty()) {
      msg += "Authorization=" + std::string(*in.authorization);
      return fail(auth_error{auth_errc::incomplete_signature, std::move(msg)});
    }
    return parse_credential(params.find("Credential")->second);
  }
  for (const char* p : {"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders",
                        "X-Amz-Date"}) {
    auto v = query_param(in.query, p);
    if (!v || v->empty()) msg += std::string("AWS query-string parameters must include '") + p + "'. ";
  }
  if (!msg.empty()) {
    msg += "Re-examine the query-string parameters.";
    return fail(auth_error{auth_errc::incomplete_signature, std::move(msg)});
  }
  return parse_credential(*query_param(in.query, "X-Amz-Credential"));
}

}  // namespace eddy::auth
