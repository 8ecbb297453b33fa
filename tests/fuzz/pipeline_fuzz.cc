// One Kinesis call through the request pipeline (api/request_pipeline.h), as a session hands it over:
// the body is decoded (JSON or CBOR), validated against the operation's input shape and handled by the
// operation, against a fresh in-memory broker (fuzz_broker.h) each time.
//
// Input: byte 0 chooses the call, the rest is the body.
//   bits 0-5  the operation: its position in api/operation_list.h, modulo the number of operations
//   bits 6-7  the protocol: 0 and 3 application/x-amz-json-1.1, 1 application/x-amz-cbor-1.1,
//             2 Smithy RPC v2 CBOR (operation in the path)
// Placeholders in the body ($ITER, $CARN, $SEQN) become a live shard iterator, consumer ARN and
// sequence number (fuzz_broker.h).
//
// Properties: nothing throws out of the pipeline, the answer is 200, 400 or 503 (never an InternalFailure),
// and an error answer names its type.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "fuzz/fuzz_broker.h"
#include "operation.h"

namespace {

using eddy::fuzz::fuzz_broker;

[[noreturn]] void fail(const char* why, const eddy::api::http_response& r) {
  std::fprintf(stderr, "pipeline_fuzz: %s: status %u, body %s\n", why, r.status, r.body.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const auto names = eddy::api::operation_names();
  const std::string_view op = names[(data[0] & 0x3f) % names.size()];
  const unsigned protocol = data[0] >> 6;
  const bool cbor = protocol == 1 || protocol == 2;
  std::string body(reinterpret_cast<const char*>(data + 1), size - 1);

  fuzz_broker broker;
  broker.substitute(body, cbor);
  eddy::api::http_request req =
      fuzz_broker::kinesis_request(op, std::move(body), cbor ? "application/x-amz-cbor-1.1" : "application/x-amz-json-1.1");
  if (protocol == 2) {
    req.target = "/service/Kinesis_20131202/operation/" + std::string(op);
    req.headers.emplace_back("smithy-protocol", "rpc-v2-cbor");
    for (auto& [k, v] : req.headers) {
      if (k == "content-type") v = "application/cbor";
    }
  }
  const eddy::api::http_response r = broker.call(std::move(req));
  // 500 is InternalFailure: no client input may cause one.
  if (r.status != 200 && r.status != 400 && r.status != 503) fail("unexpected status", r);
  if (r.status != 200 && fuzz_broker::header(r, "x-amzn-ErrorType").empty()) fail("an error without its type", r);
  return 0;
}
