#include "eddy/frontend/tls_context.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <filesystem>
#include <sys/stat.h>

namespace eddy::frontend {
namespace {

// ALPN: prefer h2, then http/1.1; when the client offers neither, agree on nothing and let the
// connection be sniffed (older Java clients start h2 over TLS without ALPN).
int select_alpn(SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char* in, unsigned inlen,
                void*) {
  static const unsigned char server[] = "\x02h2\x08http/1.1";
  unsigned char* selected = nullptr;
  if (SSL_select_next_proto(&selected, outlen, server, sizeof(server) - 1, in, inlen) != OPENSSL_NPN_NEGOTIATED) {
    return SSL_TLSEXT_ERR_NOACK;
  }
  *out = selected;
  return SSL_TLSEXT_ERR_OK;
}

bool write_pem(const std::string& path, bool key, EVP_PKEY* pkey, X509* cert) {
  FILE* f = std::fopen(path.c_str(), "w");
  if (!f) return false;
  if (key) ::chmod(path.c_str(), 0600);
  const int ok = key ? PEM_write_PrivateKey(f, pkey, nullptr, nullptr, 0, nullptr, nullptr) : PEM_write_X509(f, cert);
  std::fclose(f);
  return ok == 1;
}

}  // namespace

result<tls_files, std::string> ensure_self_signed(const std::string& dir) {
  tls_files files{dir + "/eddy-tls.crt", dir + "/eddy-tls.key"};
  std::error_code ec;
  if (std::filesystem::exists(files.cert, ec) && std::filesystem::exists(files.key, ec)) return files;
  std::filesystem::create_directories(dir, ec);
  if (ec) return fail("cannot create " + dir + ": " + ec.message());

  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> pkey(EVP_EC_gen("P-256"), &EVP_PKEY_free);
  std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), &X509_free);
  if (!pkey || !cert) return fail(std::string("cannot generate a TLS key"));
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), static_cast<long>(std::time(nullptr)));
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 10L * 365 * 24 * 3600);
  X509_set_pubkey(cert.get(), pkey.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("Eddy"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  X509V3_CTX v3;
  X509V3_set_ctx_nodb(&v3);
  X509V3_set_ctx(&v3, cert.get(), cert.get(), nullptr, nullptr, 0);
  for (const auto& [nid, value] : {std::pair{NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1"},
                                   std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &v3, nid, value);
    if (!ext) return fail(std::string("cannot build the certificate's extensions"));
    X509_add_ext(cert.get(), ext, -1);
    X509_EXTENSION_free(ext);
  }
  if (X509_sign(cert.get(), pkey.get(), EVP_sha256()) == 0) return fail(std::string("cannot sign the certificate"));
  if (!write_pem(files.key, true, pkey.get(), nullptr) || !write_pem(files.cert, false, nullptr, cert.get())) {
    return fail("cannot write the certificate into " + dir);
  }
  return files;
}

result<std::shared_ptr<boost::asio::ssl::context>, std::string> make_tls_context(const tls_files& files) {
  auto ctx = std::make_shared<boost::asio::ssl::context>(boost::asio::ssl::context::tls_server);
  boost::system::error_code ec;
  ctx->set_options(boost::asio::ssl::context::default_workarounds | boost::asio::ssl::context::no_sslv2 |
                       boost::asio::ssl::context::no_sslv3 | boost::asio::ssl::context::no_tlsv1 |
                       boost::asio::ssl::context::no_tlsv1_1,
                   ec);
  ctx->use_certificate_chain_file(files.cert, ec);
  if (ec) return fail("cannot load --tls-cert " + files.cert + ": " + ec.message());
  ctx->use_private_key_file(files.key, boost::asio::ssl::context::pem, ec);
  if (ec) return fail("cannot load --tls-key " + files.key + ": " + ec.message());
  SSL_CTX_set_alpn_select_cb(ctx->native_handle(), &select_alpn, nullptr);
  return ctx;
}

}  // namespace eddy::frontend
