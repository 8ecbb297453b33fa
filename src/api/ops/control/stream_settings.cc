#include "stream_settings.h"

#include <algorithm>
#include <memory>

#include "../../model/shapes.h"
#include "eddy/base/clock.h"

namespace eddy::api::ops {

namespace {

// AWS answers ALL with the seven names in this order (its CLI examples show it so).
const std::vector<std::string>& all_metrics() {
  static const std::vector<std::string> names = {"IncomingBytes",
                                                 "OutgoingRecords",
                                                 "IteratorAgeMilliseconds",
                                                 "IncomingRecords",
                                                 "ReadProvisionedThroughputExceeded",
                                                 "WriteProvisionedThroughputExceeded",
                                                 "OutgoingBytes"};
  return names;
}

std::vector<std::string> in_aws_order(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const auto& m : all_metrics()) {
    if (std::find(names.begin(), names.end(), m) != names.end()) out.push_back(m);
  }
  return out;
}

}  // namespace

core::result<void> check_retention_bounds(int hours) {
  if (hours < kMinRetentionHours) {
    return core::make_error(
        core::errc::invalid_argument,
        "Minimum allowed retention period is 24 hours. Requested retention period (" +
            std::to_string(hours) + " hours) is too short.");
  }
  if (hours > kMaxRetentionHours) {
    return core::make_error(
        core::errc::invalid_argument,
        "Maximum allowed retention period is 8760 hours. Requested retention period (" +
            std::to_string(hours) + " hours) is too long.");
  }
  return {};
}

const model::shape& metrics_list_shape() {
  static const model::shape name{
      .k = model::kind::string,
      .enum_values = {"IncomingBytes", "IncomingRecords", "OutgoingBytes", "OutgoingRecords",
                      "WriteProvisionedThroughputExceeded", "ReadProvisionedThroughputExceeded",
                      "IteratorAgeMilliseconds", "ALL"}};
  static const model::shape s{
      .k = model::kind::list, .min_length = 1, .max_length = 7, .element = &name};
  return s;
}

std::vector<std::string> metrics_of(const codec::document& names) {
  std::vector<std::string> out;
  for (const auto& n : names) {
    if (n == "ALL") return all_metrics();
    out.push_back(n.get<std::string>());
  }
  return in_aws_order(out);
}

std::vector<std::string> merge_metrics(const std::vector<std::string>& current,
                                       const std::vector<std::string>& change, bool enable) {
  std::vector<std::string> out;
  for (const auto& m : all_metrics()) {
    const bool had = std::find(current.begin(), current.end(), m) != current.end();
    const bool named = std::find(change.begin(), change.end(), m) != change.end();
    if (enable ? had || named : had && !named) out.push_back(m);
  }
  return out;
}

core::result<void> check_warm_throughput(const core::stream_meta& s, core::stream_mode mode,
                                         int mibps, const core::account_settings& settings) {
  if (mode != core::stream_mode::on_demand) {
    return core::make_error(
        core::errc::invalid_argument,
        "Warm throughput can only be configured for streams in ON_DEMAND mode. Stream " + s.name +
            " under account " + s.scope.account + " is in PROVISIONED mode.");
  }
  if (!settings.commitment_active()) {
    return core::make_error(
        core::errc::invalid_argument,
        "Warm throughput requires MinimumThroughputBillingCommitment to be enabled for account " +
            s.scope.account + ".");
  }
  if (mibps > kMaxWarmThroughputMiBps) {
    return core::make_error(core::errc::limit_exceeded,
                            "Requested warm throughput of " + std::to_string(mibps) +
                                " MiBps for stream " + s.name + " under account " +
                                s.scope.account + " exceeds the limit of " +
                                std::to_string(kMaxWarmThroughputMiBps) + " MiBps.");
  }
  return {};
}

codec::document commitment_document(const core::account_settings& s) {
  codec::document d = codec::document::object();
  d["Status"] = core::to_string(s.commitment);
  if (s.started_ms) d["StartedAt"] = codec::make_timestamp(*s.started_ms);
  if (s.ended_ms) d["EndedAt"] = codec::make_timestamp(*s.ended_ms);
  if (s.earliest_end_ms) d["EarliestAllowedEndAt"] = codec::make_timestamp(*s.earliest_end_ms);
  return d;
}

op_result<core::account_settings> account_settings_of(const op_context& ctx) {
  auto s = core::load_account_settings(ctx.shards.store(), ctx.scope, now_ms());
  if (!s) return fail(to_aws_error(s.error()));
  return *s;
}

}  // namespace eddy::api::ops

namespace eddy::api::ops {

const model::shape& retention_input() {
  // The model sets no range: the bounds are InvalidArgumentExceptions, not ValidationExceptions.
  static const model::shape hours{.k = model::kind::integer};
  static const model::shape s{.k = model::kind::structure,
                              .members = {{"StreamName", &model::shapes::stream_name()},
                                          {"RetentionPeriodHours", &hours, true},
                                          {"StreamARN", &model::shapes::stream_arn()}}};
  return s;
}

boost::asio::awaitable<op_result<codec::document>> change_retention(op_context& ctx, codec::document in,
                                                                   bool increase) {
  auto name = stream_name_of(ctx, in);
  if (!name) co_return fail(std::move(name).error());
  // Saturated: a value past int's range is simply out of bounds.
  const int hours = static_cast<int>(
      std::clamp<int64_t>(in["RetentionPeriodHours"].get<int64_t>(), INT32_MIN, INT32_MAX));
  auto edit = [hours, increase, stream = *name](core::stream_meta& next,
                                                const core::account_limits&) -> core::result<void> {
    if (auto r = check_retention_bounds(hours); !r) return r;
    if (increase ? hours < next.retention_hours : hours > next.retention_hours) {
      return core::make_error(core::errc::invalid_argument,
                              "Requested retention period (" + std::to_string(hours) + " hours) for stream " +
                                  stream + (increase ? " can not be shorter" : " can not be longer") +
                                  " than existing retention period (" + std::to_string(next.retention_hours) +
                                  " hours). Use " + (increase ? "Decrease" : "Increase") + "RetentionPeriod API.");
    }
    next.retention_hours = hours;
    return {};
  };
  if (auto r = ctx.registry.update_stream(ctx.scope, *name, edit, true); !r) co_return fail(to_aws_error(r.error()));
  co_return codec::document::object();
}

const model::shape& monitoring_input() {
  static const model::shape s{.k = model::kind::structure,
                              .members = {{"StreamName", &model::shapes::stream_name()},
                                          {"ShardLevelMetrics", &metrics_list_shape(), true},
                                          {"StreamARN", &model::shapes::stream_arn()}}};
  return s;
}

boost::asio::awaitable<op_result<codec::document>> change_monitoring(op_context& ctx, codec::document in,
                                                                    bool enable) {
  auto name = stream_name_of(ctx, in);
  if (!name) co_return fail(std::move(name).error());
  struct change {
    bool seen = false;
    std::vector<std::string> before;
    std::vector<std::string> after;
  };
  // The edit runs again when UPDATING ends, possibly after this call returned: it records only what
  // its first run, inside update_stream(), saw.
  auto first = std::make_shared<change>();
  auto edit = [first, enable, metrics = metrics_of(in["ShardLevelMetrics"])](
                  core::stream_meta& next, const core::account_limits&) -> core::result<void> {
    auto after = merge_metrics(next.shard_level_metrics, metrics, enable);
    if (!first->seen) *first = {true, next.shard_level_metrics, after};
    next.shard_level_metrics = std::move(after);
    return {};
  };
  if (auto r = ctx.registry.update_stream(ctx.scope, *name, edit, true); !r) co_return fail(to_aws_error(r.error()));
  codec::document out = codec::document::object();
  out["StreamName"] = *name;
  out["StreamARN"] = core::stream_arn(ctx.scope, *name);
  out["CurrentShardLevelMetrics"] = first->before;
  out["DesiredShardLevelMetrics"] = first->after;
  co_return out;
}

const model::shape& encryption_input() {
  static const model::shape type{.k = model::kind::string, .enum_values = {"NONE", "KMS"}};
  static const model::shape key_id{.k = model::kind::string, .min_length = 1, .max_length = 2048};
  static const model::shape s{.k = model::kind::structure,
                              .members = {{"StreamName", &model::shapes::stream_name()},
                                          {"EncryptionType", &type, true},
                                          {"KeyId", &key_id, true},
                                          {"StreamARN", &model::shapes::stream_arn()}}};
  return s;
}

boost::asio::awaitable<op_result<codec::document>> change_encryption(op_context& ctx, codec::document in,
                                                                    bool start, const char* operation) {
  auto name = stream_name_of(ctx, in);
  if (!name) co_return fail(std::move(name).error());
  // The model allows NONE, but KMS is the only encryption these calls accept.
  if (in["EncryptionType"] != "KMS") {
    co_return fail(invalid_argument(std::string("Invalid EncryptionType NONE for ") + operation +
                                    ". The only valid value is KMS."));
  }
  // Stopping takes a KeyId too (the model requires it); it is not compared with the key in use.
  auto edit = [start, key = in["KeyId"].get<std::string>()](core::stream_meta& next,
                                                            const core::account_limits&) -> core::result<void> {
    next.encryption_type = start ? "KMS" : "NONE";
    next.key_id = start ? key : std::string();
    return {};
  };
  if (auto r = ctx.registry.update_stream(ctx.scope, *name, edit, true); !r) co_return fail(to_aws_error(r.error()));
  co_return codec::document::object();
}

}  // namespace eddy::api::ops
