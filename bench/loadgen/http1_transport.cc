// HTTP/1.1 keep-alive (Beast): a pool of connections, each carrying one request at a time. A call takes an
// idle connection or opens one, so N workers in flight end up with N connections, as boto3's and the Java
// sync client's pools do.
#include "http1_transport.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <vector>

namespace eddy::bench {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

struct connection {
  explicit connection(asio::any_io_executor ex) : stream(ex) {}
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
};

class http1_transport final : public transport {
 public:
  http1_transport(asio::any_io_executor ex, endpoint_address addr) : ex_(ex), addr_(std::move(addr)) {}

  asio::awaitable<http_response> call(const http_request& req) override {
    http_response out;
    // A kept-alive connection the server closed meanwhile (kinesalite drops idle ones after 5 s) fails on
    // first use: retry once on a new one. Only a reused connection is retried, so a fresh connection's
    // failure is reported as it is.
    for (int attempt = 0; attempt < 2; ++attempt) {
      const bool reused = !idle_.empty();
      std::unique_ptr<connection> c;
      if (reused) {
        c = std::move(idle_.back());
        idle_.pop_back();
      } else {
        c = co_await open(out);
        if (!c) co_return out;
      }
      out = {};
      const bool keep = co_await exchange(*c, req, out);
      if (out.status != 0) {
        if (keep) idle_.push_back(std::move(c));
        co_return out;
      }
      if (!reused) co_return out;
    }
    co_return out;
  }

  void close() override {
    for (auto& c : idle_) {
      beast::error_code ec;
      c->stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    }
    idle_.clear();
  }

 private:
  asio::awaitable<std::unique_ptr<connection>> open(http_response& out) {
    if (resolved_.empty()) {
      tcp::resolver r(ex_);
      auto [ec, results] = co_await r.async_resolve(addr_.host, addr_.port, use_tuple);
      if (ec) {
        out.transport_error = "resolve: " + ec.message();
        co_return nullptr;
      }
      for (const auto& e : results) resolved_.push_back(e.endpoint());
    }
    auto c = std::make_unique<connection>(ex_);
    auto [ec, ep] = co_await asio::async_connect(c->stream.socket(), resolved_, use_tuple);
    if (ec) {
      out.transport_error = "connect: " + ec.message();
      co_return nullptr;
    }
    c->stream.socket().set_option(tcp::no_delay(true));
    co_return c;
  }

  // One request and its response; true when the connection may be reused.
  asio::awaitable<bool> exchange(connection& c, const http_request& req, http_response& out) {
    http::request<http::span_body<const char>> r{http::verb::post, "/", 11};
    r.set(http::field::host, addr_.authority());
    r.set(http::field::content_type, req.content_type);
    r.set("X-Amz-Target", req.target);
    r.set("X-Amz-Date", req.amz_date);
    r.set(http::field::authorization, req.authorization);
    r.body() = {req.body.data(), req.body.size()};
    r.prepare_payload();
    auto [wec, wn] = co_await http::async_write(c.stream, r, use_tuple);
    if (wec) {
      out.transport_error = "write: " + wec.message();
      co_return false;
    }
    http::response_parser<http::string_body> parser;
    parser.body_limit(512u << 20);  // GetRecords of 10,000 large records
    auto [rec, rn] = co_await http::async_read(c.stream, c.buffer, parser, use_tuple);
    if (rec) {
      out.transport_error = "read: " + rec.message();
      co_return false;
    }
    auto& res = parser.get();
    out.status = static_cast<int>(res.result_int());
    out.content_type = std::string(res[http::field::content_type]);
    out.error_type_header = std::string(res["x-amzn-ErrorType"]);
    out.body = std::move(res.body());
    co_return res.keep_alive();
  }

  asio::any_io_executor ex_;
  endpoint_address addr_;
  std::vector<tcp::endpoint> resolved_;
  std::vector<std::unique_ptr<connection>> idle_;
};

}  // namespace

std::unique_ptr<transport> make_http1_transport(asio::any_io_executor ex, endpoint_address addr) {
  return std::make_unique<http1_transport>(ex, std::move(addr));
}

}  // namespace eddy::bench
