#include "put_common.h"

#include "eddy/base/random.h"
#include "eddy/core/hash_range.h"

namespace eddy::api::ops {

using codec::document;

op_result<std::shared_ptr<const core::stream_meta>> writable_stream(const op_context& ctx, const document& in) {
  auto name = stream_name_of(ctx, in);
  if (!name) return fail(std::move(name).error());
  auto stream = find_stream(ctx, *name);
  if (!stream) return stream;
  const auto status = (*stream)->status;
  if (status != core::stream_status::active && status != core::stream_status::updating) {
    return fail(resource_not_found("Stream " + *name + " under account " + ctx.scope.account + " not found."));
  }
  return stream;
}

op_result<const core::shard_meta*> route(const core::stream_meta& s, const std::string& partition_key,
                                         const document& explicit_hash_key) {
  u128 hash;
  if (s.auto_distribution) {
    // AUTO ignores the key and any ExplicitHashKey: a uniform hash spreads records evenly over the
    // open shards, whose ranges cover the space.
    hash = (static_cast<u128>(random_u64()) << 64) | random_u64();
  } else if (explicit_hash_key.is_string()) {
    const auto& text = explicit_hash_key.get_ref<const std::string&>();
    const auto parsed = parse_decimal(text);
    if (!parsed) {
      return fail(invalid_argument("Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. "
                                   "Specified value was " + text));
    }
    hash = *parsed;
  } else {
    hash = core::partition_hash(partition_key);
  }
  const core::shard_meta* shard = s.route(hash);
  if (!shard) return fail(aws_error{"InternalFailure", 500, "No open shard holds hash key " + to_decimal(hash) + "."});
  return shard;
}

size_t max_record_bytes(const core::stream_meta& s) { return static_cast<size_t>(s.max_record_size_kib) * 1024; }

std::optional<aws_error> data_too_large(const core::stream_meta& s, size_t data_bytes, const std::string& path) {
  const size_t limit = max_record_bytes(s);
  if (data_bytes <= limit) return std::nullopt;
  const auto n = std::to_string(data_bytes);
  return validation_error("1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=" + n + " cap=" + n +
                          "]' at '" + path + "' failed to satisfy constraint: Member must have length less than or "
                          "equal to " + std::to_string(limit));
}

const model::shape& data_shape() {
  // The model's ceiling is the largest MaxRecordSizeInKiB; each stream's own limit is checked after lookup.
  static const model::shape s{.k = model::kind::blob, .max_length = 10 * 1024 * 1024};
  return s;
}

std::optional<aws_error> missing_partition_keys(const core::stream_meta& s, const std::vector<std::string>& paths) {
  if (s.auto_distribution || paths.empty()) return std::nullopt;
  std::string msg = std::to_string(paths.size()) + " validation error" + (paths.size() > 1 ? "s" : "") + " detected: ";
  for (size_t i = 0; i < paths.size() && i < 10; ++i) {
    msg += (i ? "; " : "") + std::string("Value null at '") + paths[i] +
           "' failed to satisfy constraint: Member must not be null";
  }
  return validation_error(std::move(msg));
}

const model::shape& partition_key_shape() {
  static const model::shape s{.k = model::kind::string, .min_length = 1, .max_length = 256};
  return s;
}

const model::shape& explicit_hash_key_shape() {
  static const model::shape s{.k = model::kind::string, .regex = model::make_pattern("0|([1-9]\\d{0,38})")};
  return s;
}

std::vector<uint8_t> take_blob(document& blob) {
  return std::move(static_cast<std::vector<uint8_t>&>(blob.get_binary()));
}

}  // namespace eddy::api::ops
