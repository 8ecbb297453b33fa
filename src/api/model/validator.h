#pragma once
#include "../aws_error.h"
#include "eddy/codec/document.h"
#include "shape.h"

namespace eddy::api::model {

// How timestamps arrive: JSON and Smithy RPC v2 CBOR send epoch seconds (possibly fractional); the
// Java SDK's CBOR sends integer epoch milliseconds.
enum class protocol { json, cbor, rpcv2_cbor };

// Checks types first (the first mismatch is a SerializationException), dropping unknown and null members
// and turning base64 blobs and numeric timestamps into the document's blob and timestamp values; then
// checks constraints, listing up to 10 failures in one ValidationException.
op_result<codec::document> validate(const shape& input, codec::document doc, protocol p);

}  // namespace eddy::api::model
