#include "reshard_common.h"

namespace eddy::api::ops {

op_result<core::shard_index> shard_to_change(const op_context& ctx, const std::string& stream,
                                             const std::string& requested) {
  const auto ix = core::parse_shard_id(requested);
  if (ix) return *ix;
  return fail(resource_not_found("Could not find shard " + requested + " in stream " + stream + " under account " +
                                 ctx.scope.account + "."));
}

core::result<void> require_provisioned(const core::stream_meta& s, std::string_view operation) {
  if (s.mode == core::stream_mode::provisioned) return {};
  return core::make_error(core::errc::invalid_argument, std::string(operation) + " is not supported for stream " +
                                                            s.name + " under account " + s.scope.account +
                                                            " because it is in ON_DEMAND capacity mode.");
}

}  // namespace eddy::api::ops
