#pragma once
// What a client sees when a call fails: the __type, the HTTP status and the message.
#include <string>

#include "eddy/core/errc.h"

namespace eddy::api {

struct aws_error {
  std::string type;     // e.g. "ResourceNotFoundException"
  unsigned status = 400;
  std::string message;  // empty: no message member at all, as AWS sends for some types
  bool capital_message = false;  // SerializationException's type errors say "Message"
};

template <class T>
using op_result = eddy::result<T, aws_error>;

// The one mapping from the core's error codes to the wire.
aws_error to_aws_error(const core::error& e);

aws_error validation_error(std::string message);
aws_error serialization_error(std::string message);
aws_error invalid_argument(std::string message);
aws_error resource_not_found(std::string message);
aws_error resource_in_use(std::string message);

}  // namespace eddy::api
