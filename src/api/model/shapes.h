#pragma once
// Shapes shared by several operations, with the Kinesis model's constraints.
#include "shape.h"

namespace eddy::api::model::shapes {

const shape& stream_name();   // 1..128, [a-zA-Z0-9_.-]+
const shape& stream_arn();    // 1..2048, arn:aws.*:kinesis:.*:\d{12}:stream/\S+
const shape& shard_id();      // 1..128, [a-zA-Z0-9_.-]+
const shape& next_token();    // 1..1048576
const shape& boolean();
const shape& timestamp();
const shape& stream_mode_details();  // {StreamMode: PROVISIONED | ON_DEMAND}
const shape& list_limit();    // 1..10000

}  // namespace eddy::api::model::shapes
