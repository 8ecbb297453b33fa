// DeleteStream: the stream goes DELETING for --delete-stream-ms, then disappears with its records.
#include "../../model/shapes.h"
#include "../common.h"

namespace eddy::api::ops {
namespace {

using codec::document;
using model::kind;
using model::shape;

const shape& input() {
  static const shape s{.k = kind::structure,
                       .members = {{"StreamName", &model::shapes::stream_name()},
                                   {"StreamARN", &model::shapes::stream_arn()},
                                   {"EnforceConsumerDeletion", &model::shapes::boolean()}}};
  return s;
}

boost::asio::awaitable<op_result<document>> handle(op_context& ctx, document in) {
  auto stream = find_named_stream(ctx, in);
  if (!stream) co_return fail(std::move(stream).error());
  if ((*stream)->status == core::stream_status::creating) {
    co_return fail(resource_in_use("Stream " + (*stream)->name + " under account " + ctx.scope.account +
                                   " is in CREATING state and cannot be deleted until it is ACTIVE."));
  }
  const bool enforce = in.value("EnforceConsumerDeletion", false);
  if (auto r = ctx.registry.delete_stream(ctx.scope, (*stream)->name, enforce); !r) co_return fail(to_aws_error(r.error()));
  ctx.shards.forget((*stream)->uid);
  co_return document::object();
}

}  // namespace

extern const operation delete_stream{"DeleteStream", &input, &handle};

}  // namespace eddy::api::ops
