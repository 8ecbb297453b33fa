#pragma once
// One Kinesis operation: its name, its input shape and its handler. Handlers receive a validated,
// protocol-neutral document and return one; they never see HTTP, JSON or CBOR.
#include <boost/asio/awaitable.hpp>

#include <span>
#include <string_view>

#include "aws_error.h"
#include "eddy/codec/document.h"
#include "eddy/config/config.h"
#include "eddy/core/shard_directory.h"
#include "eddy/api/http_types.h"
#include "eddy/core/shard_iterator.h"
#include "eddy/core/subscription_leases.h"
#include "eddy/core/stream_registry.h"
#include "model/shape.h"

namespace eddy::api {

class fault_injector;
class throughput_limits;

// Everything a handler may use for one call. Lives for the duration of the call.
struct op_context {
  core::stream_registry& registry;
  core::shard_directory& shards;
  const core::iterator_codec& iterators;
  core::stream_scope scope;  // from the caller's SigV4 credential scope
  const config::settings& settings;
  const std::shared_ptr<core::subscription_leases>& leases;
  // Set by an operation whose output is an event stream (SubscribeToShard): the response body.
  std::shared_ptr<body_stream> stream = {};
  // Set when --fault-rate throttles this call's records one by one (PutRecord, PutRecords): ask it per
  // record, with `op_index`, before storing the record.
  fault_injector* record_faults = nullptr;
  size_t op_index = 0;
  // Set with --enforce-limits: the data-plane handlers ask it once they know the shard.
  throughput_limits* limits = nullptr;
};

using handler_fn = boost::asio::awaitable<op_result<codec::document>> (*)(op_context&, codec::document);

struct operation {
  std::string_view name;
  const model::shape& (*input)();
  handler_fn handle;
};

// The operation named `name` (e.g. "CreateStream"), or nullptr.
const operation* find_operation(std::string_view name);

// Every operation's name, in operation_list.h order; operation_index() is a position in it (per-operation
// metrics are an array indexed by it, resolved once).
std::span<const std::string_view> operation_names();
size_t operation_index(const operation& op);

}  // namespace eddy::api
