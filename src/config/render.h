#pragma once
// Settings and the option table as text for people: --help, --print-config and the Markdown reference.
#include <map>
#include <string>

namespace eddy::config {

struct shown_value {
  std::string text;    // as given
  std::string origin;  // "flag --port", "env EDDY_PORT", "file line 3"
};

// --print-config: every setting as YAML that --config accepts, each with its source as a comment.
// `given` holds the settings not left at their default, by option name.
std::string render_settings(const std::map<std::string, shown_value>& given);

}  // namespace eddy::config
