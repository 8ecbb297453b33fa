#pragma once
// The TLS side of the listener: a server context offering ALPN h2 and http/1.1, and the self-signed
// certificate made when no --tls-cert/--tls-key are given.
#include <boost/asio/ssl/context.hpp>

#include <memory>
#include <string>

#include "eddy/base/result.h"

namespace eddy::frontend {

struct tls_files {
  std::string cert;  // PEM
  std::string key;   // PEM
};

// Reuses <dir>/eddy-tls.crt and eddy-tls.key when present, else generates a P-256 key and a certificate
// for localhost / 127.0.0.1 / ::1, valid ten years, and writes both (the key with mode 0600).
result<tls_files, std::string> ensure_self_signed(const std::string& dir);

result<std::shared_ptr<boost::asio::ssl::context>, std::string> make_tls_context(const tls_files& files);

}  // namespace eddy::frontend
