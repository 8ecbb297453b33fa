#pragma once
// What pipeline_fuzz makes of its input, shared with the GoogleTest that replays the saved regressions
// (tests/unit/api/fuzz_regressions_test.cc) so that both feed the same request to the pipeline.
//
// Input: byte 0 chooses the call, the rest is the body.
//   bits 0-5  the operation: its position in api/operation_list.h, modulo the number of operations
//   bits 6-7  the protocol: 0 and 3 application/x-amz-json-1.1, 1 application/x-amz-cbor-1.1,
//             2 Smithy RPC v2 CBOR (operation in the path)
// Placeholders in the body ($ITER$$..., $CARN$$..., $SEQN$$...) become a live shard iterator, consumer ARN
// and sequence number (fuzz_broker.h).
#include <optional>
#include <string>
#include <string_view>

#include "fuzz/fuzz_broker.h"
#include "operation.h"

namespace eddy::fuzz {

// nullopt for an empty input.
inline std::optional<api::http_request> pipeline_request(const fuzz_broker& broker, std::string_view input) {
  if (input.empty()) return std::nullopt;
  const auto names = api::operation_names();
  const auto first = static_cast<unsigned char>(input[0]);
  const std::string_view op = names[(first & 0x3f) % names.size()];
  const unsigned protocol = first >> 6;
  const bool cbor = protocol == 1 || protocol == 2;
  std::string body(input.substr(1));
  broker.substitute(body);
  api::http_request req = fuzz_broker::kinesis_request(
      op, std::move(body), cbor ? "application/x-amz-cbor-1.1" : "application/x-amz-json-1.1");
  if (protocol == 2) {
    req.target = "/service/Kinesis_20131202/operation/" + std::string(op);
    req.headers.emplace_back("smithy-protocol", "rpc-v2-cbor");
    for (auto& [k, v] : req.headers) {
      if (k == "content-type") v = "application/cbor";
    }
  }
  return req;
}

// What is wrong with the pipeline's answer, if anything: it must be 200, 400 or 503 (500 is an
// InternalFailure, which no client input may cause), and an error must name its type.
inline std::optional<std::string> pipeline_violation(const api::http_response& r) {
  if (r.status != 200 && r.status != 400 && r.status != 503) {
    return "unexpected status " + std::to_string(r.status) + ": " + r.body;
  }
  if (r.status != 200 && fuzz_broker::header(r, "x-amzn-ErrorType").empty()) {
    return "an error without x-amzn-ErrorType: " + r.body;
  }
  return std::nullopt;
}

}  // namespace eddy::fuzz
