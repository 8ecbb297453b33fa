#pragma once
// Rules the stream-setting operations share: retention bounds, the shard-level metric names, warm
// throughput (which needs an on-demand stream and the account's billing commitment).
#include <string>
#include <vector>

#include "../../model/shape.h"
#include "../common.h"
#include "eddy/core/account_settings.h"

namespace eddy::api::ops {

inline constexpr int kMinRetentionHours = 24;
inline constexpr int kMaxRetentionHours = 8760;
inline constexpr int kMaxWarmThroughputMiBps = 10 * 1024;  // AWS's default ceiling: 10 GiB/s

// InvalidArgumentException outside 24..8760 hours, in AWS's words.
core::result<void> check_retention_bounds(int hours);

// MetricsNameList: 1..7 of the shard-level metric names or ALL.
const model::shape& metrics_list_shape();
// The named metrics with ALL expanded, in the order AWS lists them.
std::vector<std::string> metrics_of(const codec::document& names);
// `current` with `change` added (enable) or taken away, in the order AWS lists them.
std::vector<std::string> merge_metrics(const std::vector<std::string>& current,
                                       const std::vector<std::string>& change, bool enable);

// Increase- and DecreaseStreamRetentionPeriod: one input, one handler that differs only in the
// direction the new period must move.
const model::shape& retention_input();
boost::asio::awaitable<op_result<codec::document>> change_retention(op_context& ctx, codec::document in,
                                                                   bool increase);

// Enable- and DisableEnhancedMonitoring: one input, one handler that adds or removes the metrics.
const model::shape& monitoring_input();
boost::asio::awaitable<op_result<codec::document>> change_monitoring(op_context& ctx, codec::document in,
                                                                    bool enable);

// Start- and StopStreamEncryption: one input, one handler that turns KMS on (with the KeyId) or off.
// `operation` names the call in the EncryptionType error.
const model::shape& encryption_input();
boost::asio::awaitable<op_result<codec::document>> change_encryption(op_context& ctx, codec::document in,
                                                                    bool start, const char* operation);

// Why `mibps` of warm throughput cannot be set on `s` for an account with `settings`; nothing when
// it can.
core::result<void> check_warm_throughput(const core::stream_meta& s, core::stream_mode mode,
                                         int mibps, const core::account_settings& settings);

// MinimumThroughputBillingCommitment as DescribeAccountSettings and UpdateAccountSettings show it.
codec::document commitment_document(const core::account_settings& s);

// The account's settings now, or InternalFailure.
op_result<core::account_settings> account_settings_of(const op_context& ctx);

}  // namespace eddy::api::ops
