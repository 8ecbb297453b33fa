#pragma once
// The seam between frontend (HTTP/1.1 and HTTP/2 sessions) and api (Kinesis): one protocol-neutral
// request and response. Sessions fill a request, the pipeline returns a response.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace eddy::api {

struct http_request {
  std::string method;
  std::string target;  // path and query, as received
  // Header names in lower case; HTTP/2's :authority arrives as "host".
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  int http_major = 1;

  std::optional<std::string_view> header(std::string_view lower_name) const {
    for (const auto& [k, v] : headers) {
      if (k == lower_name) return std::string_view(v);
    }
    return std::nullopt;
  }
};

struct http_response {
  unsigned status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // besides content-length
  std::string body;
};

}  // namespace eddy::api
