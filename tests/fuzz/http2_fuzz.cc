// HTTP/2 with prior knowledge (h2c), as a client sends it after the connection preface: nghttp2's server
// session as Eddy configures it (settings, window, header limits) with Eddy's callbacks, the streams'
// requests on through the pipeline to a fresh in-memory broker, and the responses back through
// nghttp2. The bytes go through the session's own code (frontend/http2/http2_session.cc, over a
// memory_stream), handed over as the listener hands a sniffed h2c connection: the preface as the prefix.
//
// Input: the frames after the 24-byte preface (the listener sends nothing else to this session).
// Properties: the session ends once the client does and nothing escapes it as an exception.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fuzz/session_driver.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  eddy::fuzz::watch_logs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  eddy::fuzz::drive_session(
      [](auto conn, std::string prefix, auto st) {
        return eddy::frontend::run_http2_session(std::move(conn), std::move(prefix), std::move(st));
      },
      bytes, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
  return 0;
}
