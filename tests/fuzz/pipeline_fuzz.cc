// One Kinesis call through the request pipeline (api/request_pipeline.h), as a session hands it over:
// the body is decoded (JSON or CBOR), validated against the operation's input shape and handled by the
// operation, against a fresh in-memory broker (fuzz_broker.h) each time. The input's layout is in
// pipeline_input.h.
//
// Properties: nothing throws out of the pipeline, the answer is 200, 400 or 503 (never an InternalFailure),
// an error answer names its type, and no error is logged.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "fuzz/pipeline_input.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  eddy::fuzz::watch_logs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  eddy::fuzz::fuzz_broker broker;
  auto req = eddy::fuzz::pipeline_request(broker, std::string_view(reinterpret_cast<const char*>(data), size));
  if (!req) return 0;
  const auto resp = broker.call(std::move(*req));
  // EDDY_FUZZ_SHOW=1 prints the answer (to look at one input: run the target on it).
  if (std::getenv("EDDY_FUZZ_SHOW")) std::fprintf(stderr, "%u %s\n", resp.status, resp.body.c_str());
  const auto violation = eddy::fuzz::pipeline_violation(resp);
  if (violation) {
    std::fprintf(stderr, "pipeline_fuzz: %s\n", violation->c_str());
    std::abort();
  }
  return 0;
}
