// StopStreamEncryption: turns server-side encryption off. The stream shows UPDATING for
// --update-stream-ms; records written once it is ACTIVE again carry no EncryptionType.
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
        "Invalid EncryptionType NONE for StopStreamEncryption. The only valid value is KMS."));
  }
  // KeyId is required by the model; it is not compared with the key in use.
  auto edit = [](core::stream_meta& next, const core::account_limits&) -> core::result<void> {
    next.encryption_type = "NONE";
    next.key_id.clear();
    return {};
  };
  if (auto r = ctx.registry.update_stream(ctx.scope, *name, edit, true); !r)
    co_return fail(to_aws_error(r.error()));
  co_return document::object();
}

}  // namespace

extern const operation stop_stream_encryption{"StopStreamEncryption", &input, &handle};

}  // namespace eddy::api::ops
