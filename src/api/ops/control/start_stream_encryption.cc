// StartStreamEncryption: server-side encryption with a KMS key (any KeyId: no KMS is consulted).
// The stream shows UPDATING for --update-stream-ms; records written once it is ACTIVE again carry
// EncryptionType KMS.
#include "../../model/shapes.h"
#include "../common.h"

namespace eddy::api::ops {
namespace {

using codec::document;
using model::kind;
using model::shape;

const shape& input() {
  static const shape type{.k = kind::string, .enum_values = {"NONE", "KMS"}};
  static const shape key_id{.k = kind::string, .min_length = 1, .max_length = 2048};
  static const shape s{.k = kind::structure,
                       .members = {{"StreamName", &model::shapes::stream_name()},
                                   {"EncryptionType", &type, true},
                                   {"KeyId", &key_id, true},
                                   {"StreamARN", &model::shapes::stream_arn()}}};
  return s;
}

boost::asio::awaitable<op_result<document>> handle(op_context& ctx, document in) {
  auto name = stream_name_of(ctx, in);
  if (!name) co_return fail(std::move(name).error());
  // The model allows NONE, but KMS is the only encryption these calls accept.
  if (in["EncryptionType"] != "KMS") {
    co_return fail(invalid_argument(
        "Invalid EncryptionType NONE for StartStreamEncryption. The only valid value is KMS."));
  }
  auto edit = [key = in["KeyId"].get<std::string>()](
                  core::stream_meta& next, const core::account_limits&) -> core::result<void> {
    next.encryption_type = "KMS";
    next.key_id = key;
    return {};
  };
  if (auto r = ctx.registry.update_stream(ctx.scope, *name, edit, true); !r)
    co_return fail(to_aws_error(r.error()));
  co_return document::object();
}

}  // namespace

extern const operation start_stream_encryption{"StartStreamEncryption", &input, &handle};

}  // namespace eddy::api::ops
