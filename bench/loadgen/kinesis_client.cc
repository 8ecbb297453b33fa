#include "kinesis_client.h"

#include "eddy/codec/cbor_codec.h"
#include "eddy/codec/json_codec.h"

namespace eddy::bench {

std::string api_result::describe() const {
  if (!transport_error.empty()) return "transport: " + transport_error;
  if (ok()) return "ok";
  return (error_type.empty() ? "HTTP " + std::to_string(status) : error_type) + (message.empty() ? "" : ": " + message);
}

kinesis_client::kinesis_client(transport& t, sigv4_signer& signer, body_format format, std::string authority)
    : transport_(t), signer_(signer), format_(format), authority_(std::move(authority)) {}

std::string_view kinesis_client::content_type() const {
  return format_ == body_format::json ? "application/x-amz-json-1.1" : "application/x-amz-cbor-1.1";
}

std::string kinesis_client::encode(const codec::document& d) const {
  return format_ == body_format::json ? codec::json::encode(d) : codec::cbor::encode(d);
}

// X-Amz-Date changes once a second; formatting it per request would cost more than the signature's hash.
const std::string& kinesis_client::current_amz_date() {
  const std::time_t now = std::time(nullptr);
  if (now != date_second_) {
    date_second_ = now;
    date_ = amz_date(now);
  }
  return date_;
}

kinesis_client::signed_parts kinesis_client::sign(std::string_view operation, std::string_view body,
                                                  std::string_view body_sha256) {
  signed_parts p;
  p.target.reserve(48);
  p.target.append("Kinesis_20131202.").append(operation);
  p.date = current_amz_date();
  const signed_header headers[] = {
      {"content-type", content_type()},
      {"host", authority_},
      {"x-amz-date", p.date},
      {"x-amz-target", p.target},
  };
  const std::string hash = body_sha256.empty() ? sha256_hex(body) : std::string(body_sha256);
  p.authorization = signer_.authorization("POST", "/", "", headers, hash, p.date);
  return p;
}

asio::awaitable<http_response> kinesis_client::send(std::string_view operation, std::string_view body,
                                                    std::string_view body_sha256) {
  const signed_parts p = sign(operation, body, body_sha256);
  const http_request req{p.target, content_type(), body, p.date, p.authorization};
  co_return co_await transport_.call(req);
}

asio::awaitable<http_response> kinesis_client::stream(std::string_view operation, std::string body,
                                                      stream_sink sink) {
  const signed_parts p = sign(operation, body, "");
  const http_request req{p.target, content_type(), body, p.date, p.authorization};
  co_return co_await transport_.stream(req, std::move(sink));
}

asio::awaitable<api_result> kinesis_client::call(std::string_view operation, const codec::document& request) {
  const std::string body = encode(request);
  http_response r = co_await send(operation, body, "");
  api_result out;
  out.status = r.status;
  out.transport_error = std::move(r.transport_error);
  if (r.status == 0) co_return out;
  if (out.ok()) {
    auto d = format_ == body_format::json ? codec::json::decode(r.body) : codec::cbor::decode(r.body);
    if (d) out.body = std::move(*d);
    else if (!r.body.empty()) out.transport_error = "undecodable " + std::string(operation) + " response";
    co_return out;
  }
  response_summary s;
  scan_response(r.body, format_, s);
  out.error_type = s.error_type.empty() ? short_error_type(r.error_type_header) : s.error_type;
  out.message = s.message;
  co_return out;
}

std::string error_type_of(const http_response& r, body_format format) {
  response_summary s;
  scan_response(r.body, format, s);
  if (!s.error_type.empty()) return s.error_type;
  if (!r.error_type_header.empty()) return short_error_type(r.error_type_header);
  return "HTTP " + std::to_string(r.status);
}

}  // namespace eddy::bench
