#include "shapes.h"

namespace eddy::api::model::shapes {

const shape& stream_name() {
  static const shape s{.k = kind::string, .min_length = 1, .max_length = 128, .regex = make_pattern("[a-zA-Z0-9_.-]+")};
  return s;
}

const shape& stream_arn() {
  static const shape s{.k = kind::string,
                       .min_length = 1,
                       .max_length = 2048,
                       .regex = make_pattern("arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+")};
  return s;
}

const shape& shard_id() {
  static const shape s{.k = kind::string, .min_length = 1, .max_length = 128, .regex = make_pattern("[a-zA-Z0-9_.-]+")};
  return s;
}

const shape& next_token() {
  static const shape s{.k = kind::string, .min_length = 1, .max_length = 1048576};
  return s;
}

const shape& boolean() {
  static const shape s{.k = kind::boolean};
  return s;
}

const shape& timestamp() {
  static const shape s{.k = kind::timestamp};
  return s;
}

const shape& stream_mode_details() {
  static const shape mode{.k = kind::string, .enum_values = {"PROVISIONED", "ON_DEMAND"}};
  static const shape s{.k = kind::structure, .members = {{"StreamMode", &mode, true}}};
  return s;
}

const shape& list_limit() {
  static const shape s{.k = kind::integer, .min_value = 1, .max_value = 10000};
  return s;
}

}  // namespace eddy::api::model::shapes
