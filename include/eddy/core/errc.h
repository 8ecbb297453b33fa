#pragma once
// Errors of the Kinesis domain, as values. api/aws_error.cc maps each code to its wire type and status in
// one exhaustive switch; the message is written here, where the context (stream, account) is known.
#include <string>

#include "eddy/base/result.h"

namespace eddy::core {

enum class errc {
  resource_not_found,  // stream, shard or consumer absent
  resource_in_use,     // exists already, or in a state that forbids the call
  limit_exceeded,      // an account or stream quota
  invalid_argument,    // semantically wrong input that passed the model's constraints
  expired_next_token,  // a pagination token older than 300 s
  internal,            // storage failed; the request may be retried
};

struct error {
  errc code;
  std::string message;
};

template <class T>
using result = eddy::result<T, error>;

inline failure<error> make_error(errc code, std::string message) { return fail(error{code, std::move(message)}); }

}  // namespace eddy::core
