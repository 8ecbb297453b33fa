#include "throttle_errors.h"

#include <string>

namespace eddy::api {

aws_error shard_throttled(std::string_view shard_id, std::string_view stream, std::string_view account) {
  return {"ProvisionedThroughputExceededException", 400,
          "Rate exceeded for shard " + std::string(shard_id) + " in stream " + std::string(stream) + " under account " +
              std::string(account) + "."};
}

aws_error rate_exceeded(std::string_view stream, std::string_view account) {
  if (stream.empty() || stream == "-") return {"LimitExceededException", 400, "Rate exceeded for account " + std::string(account) + "."};
  return {"LimitExceededException", 400,
          "Rate exceeded for stream " + std::string(stream) + " under account " + std::string(account) + "."};
}

aws_error internal_failure() { return {"InternalFailure", 500, "Internal service failure."}; }

aws_error service_unavailable() {
  return {"ServiceUnavailable", 503, "The request has failed due to a temporary failure of the server."};
}

}  // namespace eddy::api
