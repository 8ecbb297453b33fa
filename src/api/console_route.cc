#include "console_route.h"

#include <algorithm>

#include "eddy/console/console_assets.h"

namespace eddy::api {
namespace {

constexpr std::string_view kPrefix = "/console";
// Vite's file names are short; anything longer is not one of ours and is refused before any lookup.
constexpr size_t kMaxPath = 512;

http_response plain(unsigned status, std::string_view text) {
  http_response r;
  r.status = status;
  r.headers.emplace_back("Content-Type", "text/plain; charset=utf-8");
  r.body = std::string(text) + "\n";
  return r;
}

// A file name as Vite writes them: letters, digits, '.', '-', '_', and '/' between non-empty segments, none
// of them "." or "..". Percent-escapes are refused rather than decoded: no file of ours needs one.
bool plausible(std::string_view rel) {
  if (rel.empty() || rel.size() > kMaxPath) return false;
  size_t start = 0;
  while (start <= rel.size()) {
    const size_t slash = std::min(rel.find('/', start), rel.size());
    const std::string_view seg = rel.substr(start, slash - start);
    if (seg.empty() || seg == "." || seg == "..") return false;
    for (const char c : seg) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                      c == '-' || c == '_';
      if (!ok) return false;
    }
    start = slash + 1;
  }
  return true;
}

const console::asset* find(std::string_view rel) {
  const auto table = console::assets();
  const auto it = std::lower_bound(table.begin(), table.end(), rel,
                                   [](const console::asset& a, std::string_view p) { return a.path < p; });
  return it != table.end() && it->path == rel ? &*it : nullptr;
}

bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

}  // namespace

bool console_route::matches(std::string_view path) {
  return path == kPrefix || (path.size() > kPrefix.size() && path.substr(0, kPrefix.size() + 1) == "/console/");
}

bool is_loopback_peer(const boost::asio::ip::address& peer) {
  if (peer.is_v4()) return peer.to_v4().is_loopback();
  const auto v6 = peer.to_v6();
  if (v6.is_v4_mapped()) return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6).is_loopback();
  return v6.is_loopback();
}

std::string_view console_content_type(std::string_view path) {
  if (ends_with(path, ".html")) return "text/html; charset=utf-8";
  if (ends_with(path, ".js") || ends_with(path, ".mjs")) return "text/javascript; charset=utf-8";
  if (ends_with(path, ".css")) return "text/css; charset=utf-8";
  if (ends_with(path, ".svg")) return "image/svg+xml";
  if (ends_with(path, ".png")) return "image/png";
  if (ends_with(path, ".ico")) return "image/x-icon";
  if (ends_with(path, ".json") || ends_with(path, ".map")) return "application/json";
  if (ends_with(path, ".woff2")) return "font/woff2";
  if (ends_with(path, ".txt")) return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

http_response console_route::serve(const http_request& req) const {
  const bool allowed = mode_ == config::console_mode::on ||
                       (mode_ == config::console_mode::loopback && req.peer && is_loopback_peer(*req.peer));
  if (!allowed) return plain(404, "Not Found");
  if (req.method != "GET") {
    http_response r = plain(405, "Method Not Allowed");
    r.headers.emplace_back("Allow", "GET");
    return r;
  }
  const std::string_view path = std::string_view(req.target).substr(0, req.target.find('?'));
  if (path.size() > kMaxPath + kPrefix.size() + 1) return plain(414, "URI Too Long");
  std::string_view rel = path.substr(std::min(path.size(), kPrefix.size() + 1));
  if (rel.empty()) rel = "index.html";  // "/console" and "/console/": the page itself
  const console::asset* file = plausible(rel) ? find(rel) : nullptr;
  if (!file) return plain(404, "Not Found");

  http_response r;
  r.headers.emplace_back("Content-Type", std::string(console_content_type(file->path)));
  // Vite names everything under assets/ by its content hash, so it never changes; the page that names them
  // is revalidated on every load, so a new binary's page is picked up at once.
  const bool hashed = file->path.substr(0, 7) == "assets/";
  r.headers.emplace_back("Cache-Control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  // The page can delete streams: it must not be framed by another site (clickjacking).
  r.headers.emplace_back("X-Frame-Options", "DENY");
  r.body.assign(file->bytes);
  return r;
}

}  // namespace eddy::api
