#pragma once
// The option table: every setting once, with its flag name, default, help and parser. The flags, the
// EDDY_* variables, the YAML keys, --help, --print-config and docs/configuration.md all come from it.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "eddy/config/config.h"

namespace eddy::config {

// Where a setting may come from. --config names the file, so the file cannot set it.
enum class sources { all, flag_and_env };

struct option {
  const char* name;        // the flag without "--", and the YAML key
  const char* value_hint;  // nullptr for a switch (--in-memory means --in-memory=true)
  const char* def;         // the default as text, as --print-config shows it
  const char* help;
  // Applies a textual value; returns the reason it is bad, or "".
  std::function<std::string(settings&, const std::string&)> apply;
  sources from = sources::all;
};

const std::vector<option>& options();
const option* find_option(const std::string& name);

// A switch's value: "", 1, true, yes, on or 0, false, no, off; nullopt for anything else.
std::optional<bool> parse_switch(const std::string& v);

// "tls-port" -> "EDDY_TLS_PORT".
std::string env_name(const char* flag);

}  // namespace eddy::config
