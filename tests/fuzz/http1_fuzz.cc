// HTTP/1.1 as a client sends it on one connection: Boost.Beast's request parser with the limits the
// session gives it (body, header bytes, header count), keep-alive and pipelined requests, Expect:
// 100-continue, and each complete request on through the pipeline to a fresh in-memory broker. The
// bytes go through the session's own code (frontend/http1/http1_session.cc, over a memory_stream).
//
// Properties: the session ends once the client does, nothing escapes it as an exception, and whatever
// it wrote is a sequence of HTTP/1.1 responses.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "fuzz/session_driver.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  eddy::fuzz::watch_logs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const auto r = eddy::fuzz::drive_session(
      [](auto conn, std::string prefix, auto st) {
        return eddy::frontend::run_http1_session(std::move(conn), std::move(prefix), std::move(st));
      },
      bytes, "");
  if (!r.output.empty() && !r.output.starts_with("HTTP/1.")) std::abort();
  return 0;
}
