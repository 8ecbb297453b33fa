// StopStreamEncryption: turns server-side encryption off. The stream shows UPDATING for
// --update-stream-ms; records written once it is ACTIVE again carry no EncryptionType.
#include "stream_settings.h"

namespace eddy::api::ops {
namespace {

boost::asio::awaitable<op_result<codec::document>> handle(op_context& ctx, codec::document in) {
  return change_encryption(ctx, std::move(in), false, "StopStreamEncryption");
}

}  // namespace

extern const operation stop_stream_encryption{"StopStreamEncryption", &encryption_input, &handle};

}  // namespace eddy::api::ops
