#pragma once
// Signed Kinesis calls over a transport, in JSON (application/x-amz-json-1.1) or CBOR
// (application/x-amz-cbor-1.1). send() takes a body encoded ahead of time with its SHA-256 (the hot path);
// call() encodes a document, sends it and decodes the answer (set-up and control-plane calls).
//
// Every request signs content-type, host, x-amz-date and x-amz-target, as the AWS SDKs do for Kinesis.
// Thread safety: none; one per io_context thread.
#include "response_scan.h"
#include "sigv4_signer.h"
#include "transport.h"

#include "eddy/codec/document.h"

#include <ctime>
#include <string>
#include <string_view>

namespace eddy::bench {

struct api_result {
  int status = 0;
  codec::document body;      // decoded answer when status is 2xx
  std::string error_type;    // __type (or x-amzn-ErrorType), short form
  std::string message;
  std::string transport_error;

  bool ok() const { return status >= 200 && status < 300; }
  std::string describe() const;  // "ResourceNotFoundException: ..." or "transport: ..."
};

class kinesis_client {
 public:
  kinesis_client(transport& t, sigv4_signer& signer, body_format format, std::string authority);

  // `body_sha256` is the hex SHA-256 of `body`, computed once when the body was prepared.
  asio::awaitable<http_response> send(std::string_view operation, std::string_view body,
                                      std::string_view body_sha256);
  asio::awaitable<api_result> call(std::string_view operation, const codec::document& request);
  // A call whose answer streams into `sink` (SubscribeToShard); needs an HTTP/2 transport.
  asio::awaitable<http_response> stream(std::string_view operation, std::string body, stream_sink sink);

  std::string encode(const codec::document& d) const;
  body_format format() const { return format_; }
  std::string_view content_type() const;
  transport& wire() { return transport_; }

 private:
  struct signed_parts {
    std::string target;
    std::string date;
    std::string authorization;
  };
  signed_parts sign(std::string_view operation, std::string_view body, std::string_view body_sha256);
  const std::string& current_amz_date();

  transport& transport_;
  sigv4_signer& signer_;
  body_format format_;
  std::string authority_;
  std::time_t date_second_ = 0;
  std::string date_;
};

// The error type of a failed response: the body's __type, else the x-amzn-ErrorType header, else "HTTP <status>".
std::string error_type_of(const http_response& r, body_format format);

}  // namespace eddy::bench
