#pragma once
// Reads a settings file: one YAML mapping whose keys are flag names, for example
//
//   port: 4567
//   data-dir: /var/lib/eddy
//   sync: always
//   init-streams: "orders:4,clicks:2:on-demand"   # or a list:
//   init-consumers:
//     - orders:analytics
//     - {stream: orders, consumer: audit}
//
// Keys may also be written with '_' for '-'. Values come back as the text a flag would carry, so one
// parser per option serves flags, environment and file alike.
#include <string>
#include <vector>

#include "eddy/base/result.h"

namespace eddy::config {

struct file_entry {
  std::string key;    // as written
  std::string value;  // as a flag's text
  int line = 0;       // 1-based, for messages
};

// The error says what is wrong and where ("line 3: ..."), without the file's name.
result<std::vector<file_entry>, std::string> read_yaml_settings(const std::string& path);

}  // namespace eddy::config
