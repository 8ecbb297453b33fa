#pragma once
// The errors AWS answers throttled and failed calls with, shared by fault injection (fault_injector.h)
// and the emulated limits (throughput_limits.h).
#include <string_view>

#include "aws_error.h"

namespace eddy::api {

// What AWS answers a throttled data-plane call or record: "Rate exceeded for shard shardId-000000000000 in
// stream orders under account 123456789012."
aws_error shard_throttled(std::string_view shard_id, std::string_view stream, std::string_view account);
// What AWS answers a throttled control-plane call: "Rate exceeded for stream orders under account …", or
// for the account when the call names no stream.
aws_error rate_exceeded(std::string_view stream, std::string_view account);
// The injected 500 and 503.
aws_error internal_failure();
aws_error service_unavailable();

}  // namespace eddy::api
