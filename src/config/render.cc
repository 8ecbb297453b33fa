#include "render.h"

#include <algorithm>
#include <sstream>

#include "eddy/config/config.h"
#include "option_table.h"

namespace eddy::config {
namespace {

// Numbers and booleans stay bare; anything else is a double-quoted YAML string, so that "on", "no",
// "./data" or "a:b" read back as the same text.
std::string yaml_scalar(const std::string& v) {
  const bool number = !v.empty() && std::all_of(v.begin() + (v[0] == '-' ? 1 : 0), v.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  }) && v != "-" && !(v.size() > 1 && v[0] == '0');  // 000000000000 is an account, not zero
  if (number || v == "true" || v == "false") return v;
  std::string out = "\"";
  for (const char c : v) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

}  // namespace

std::string render_settings(const std::map<std::string, shown_value>& given) {
  std::ostringstream out;
  out << "# eddy's effective settings, with where each came from (flag > env > file > default).\n";
  for (const auto& o : options()) {
    auto it = given.find(o.name);
    if (o.from == sources::flag_and_env) {
      if (it != given.end() && !it->second.text.empty()) out << "# " << o.name << ": " << it->second.text << "  # " << it->second.origin << "\n";
      continue;
    }
    const std::string text = it == given.end() ? o.def : it->second.text;
    out << o.name << ": " << yaml_scalar(text) << "  # " << (it == given.end() ? "default" : it->second.origin) << "\n";
  }
  return out.str();
}

std::string help_text() {
  std::ostringstream out;
  out << "eddy: a self-hosted broker that speaks the Amazon Kinesis Data Streams API\n\n"
         "Usage: eddy [options]\n\n"
         "Each option is also read from the environment variable shown, and from the YAML file of --config\n"
         "under its own name. A flag beats the environment, which beats the file.\n\nOptions:\n";
  for (const auto& o : options()) {
    std::string lhs = std::string("  --") + o.name + (o.value_hint ? std::string(" ") + o.value_hint : "");
    out << lhs << std::string(lhs.size() < 30 ? 30 - lhs.size() : 1, ' ') << o.help;
    if (*o.def) out << " (default " << o.def << ")";
    out << "  [" << env_name(o.name) << "]\n";
  }
  out << "  --print-config              print the effective settings as YAML, with their sources, and exit\n"
         "  --help                      show this text (--help=markdown: the reference in Markdown)\n\n"
         "On start eddy prints one line per listener to stdout: \"eddy listening on http://HOST:PORT\".\n"
         "SIGTERM or SIGINT stops accepting, finishes requests in flight and exits 0.\n";
  return out.str();
}

std::string reference_markdown() {
  std::ostringstream out;
  out << "| Flag | Environment | Default | Meaning |\n|---|---|---|---|\n";
  for (const auto& o : options()) {
    std::string help = o.help;
    for (size_t p = 0; (p = help.find('|', p)) != std::string::npos; p += 2) help.replace(p, 1, "\\|");
    out << "| `--" << o.name << (o.value_hint ? std::string(" ") + o.value_hint : "") << "` | `" << env_name(o.name)
        << "` | " << (*o.def ? "`" + std::string(o.def) + "`" : "") << " | " << help
        << (o.from == sources::flag_and_env ? " (not in the file)" : "") << " |\n";
  }
  out << "| `--print-config` | | | print the effective settings as YAML, with their sources, and exit |\n";
  return out.str();
}

}  // namespace eddy::config
