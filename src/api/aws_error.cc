#include "aws_error.h"

namespace eddy::api {

aws_error to_aws_error(const core::error& e) {
  switch (e.code) {
    case core::errc::resource_not_found: return {"ResourceNotFoundException", 400, e.message};
    case core::errc::resource_in_use: return {"ResourceInUseException", 400, e.message};
    case core::errc::limit_exceeded: return {"LimitExceededException", 400, e.message};
    case core::errc::invalid_argument: return {"InvalidArgumentException", 400, e.message};
    case core::errc::expired_next_token: return {"ExpiredNextTokenException", 400, e.message};
    case core::errc::internal: return {"InternalFailure", 500, e.message};
  }
  return {"InternalFailure", 500, e.message};
}

aws_error validation_error(std::string message) { return {"ValidationException", 400, std::move(message)}; }
aws_error serialization_error(std::string message) {
  return {"SerializationException", 400, std::move(message), true};
}
aws_error invalid_argument(std::string message) { return {"InvalidArgumentException", 400, std::move(message)}; }
aws_error resource_not_found(std::string message) { return {"ResourceNotFoundException", 400, std::move(message)}; }
aws_error resource_in_use(std::string message) { return {"ResourceInUseException", 400, std::move(message)}; }

}  // namespace eddy::api
