// StartStreamEncryption: server-side encryption with a KMS key (any KeyId: no KMS is consulted).
// The stream shows UPDATING for --update-stream-ms; records written once it is ACTIVE again carry
// EncryptionType KMS.
#include "stream_settings.h"

namespace eddy::api::ops {
namespace {

boost::asio::awaitable<op_result<codec::document>> handle(op_context& ctx, codec::document in) {
  return change_encryption(ctx, std::move(in), true, "StartStreamEncryption");
}

}  // namespace

extern const operation start_stream_encryption{"StartStreamEncryption", &encryption_input, &handle};

}  // namespace eddy::api::ops
