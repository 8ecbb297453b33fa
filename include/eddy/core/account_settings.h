#pragma once
// account_settings: what DescribeAccountSettings shows for one account and region, kept in the meta
// column family under storage::keys::account_settings() as a small JSON object:
//
//   {"commitment":"ENABLED","started_ms":..,"ended_ms":..,"earliest_end_ms":..}
//   (a time not set is null)
//
// The only setting so far is the MinimumThroughputBillingCommitment of "On-demand Advantage". AWS
// holds a commitment for at least 24 hours: a DISABLED request before then leaves it
// ENABLED_UNTIL_EARLIEST_ALLOWED_END, and an ENABLED request in that window cancels the pending
// end.
//
// Thread safety: the functions may be called from any thread; updates of one process are serialised
// so that a read-modify-write never loses a concurrent one.
#include <cstdint>
#include <optional>
#include <string>

#include "eddy/core/errc.h"
#include "eddy/core/stream_meta.h"
#include "eddy/storage/log_store.h"

namespace eddy::core {

enum class commitment_status { disabled, enabled, enabled_until_earliest_allowed_end };
const char* to_string(commitment_status s);

inline constexpr int64_t commitment_minimum_ms = 24 * 3'600'000;

struct account_settings {
  commitment_status commitment = commitment_status::disabled;
  std::optional<int64_t> started_ms;
  std::optional<int64_t> ended_ms;
  std::optional<int64_t> earliest_end_ms;
  // ENABLED, or ENABLED until its earliest allowed end: warm throughput is available.
  bool commitment_active() const { return commitment != commitment_status::disabled; }
};

// The settings as they stand at `now`: a pending end that has passed reads as DISABLED.
account_settings settle(account_settings s, int64_t now);
// The settings after UpdateAccountSettings asked for ENABLED (`enable`) or DISABLED at `now`.
account_settings request_commitment(account_settings s, bool enable, int64_t now);

std::string encode_account_settings(const account_settings& s);
std::optional<account_settings> decode_account_settings(const std::string& text);

// The scope's settings at `now` (defaults when none were ever stored).
result<account_settings> load_account_settings(storage::log_store& store, const stream_scope& scope,
                                               int64_t now);
// Applies request_commitment() to the stored settings and persists the result, which it returns.
result<account_settings> update_commitment(storage::log_store& store, const stream_scope& scope,
                                           bool enable, int64_t now);

}  // namespace eddy::core
