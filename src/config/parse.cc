// parse(): the layers (defaults < file < environment < flags) and the checks that span settings.
#include <cstdlib>
#include <map>
#include <optional>

#include "eddy/config/config.h"
#include "option_table.h"
#include "render.h"
#include "yaml_file.h"

namespace eddy::config {
namespace {

outcome stop(const settings& s, int code, std::string text) { return {s, true, code, std::move(text)}; }

}  // namespace

outcome parse(int argc, const char* const* argv, const env_lookup& env_in) {
  const env_lookup env = env_in ? env_in : [](const char* n) -> const char* { return std::getenv(n); };
  settings s;
  std::map<std::string, shown_value> shown;  // option name -> text and where it came from

  struct flag_value {
    const option* opt;
    std::string value;
  };
  std::vector<flag_value> flags;
  bool print = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") return stop(s, 0, help_text());
    if (arg == "--help=markdown") return stop(s, 0, reference_markdown());
    if (arg == "--print-config") {
      print = true;
      continue;
    }
    if (arg.rfind("--", 0) != 0) return stop(s, 2, "eddy: unexpected argument '" + arg + "'\n");
    std::string name = arg.substr(2);
    std::optional<std::string> value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    const option* o = find_option(name);
    if (!o) return stop(s, 2, "eddy: unknown flag --" + name + " (see --help)\n");
    if (!value) {
      if (o->value_hint == nullptr) {
        value = "";
      } else if (i + 1 < argc) {
        value = argv[++i];
      } else {
        return stop(s, 2, "eddy: flag --" + name + " needs a value\n");
      }
    }
    flags.push_back({o, *value});
  }

  // Applies one layer's value, keeping what --print-config shows.
  auto apply = [&](const option& o, const std::string& v, std::string origin) -> std::string {
    if (auto err = o.apply(s, v); !err.empty()) return err;
    shown[o.name] = {o.value_hint ? v : (*parse_switch(v) ? "true" : "false"), std::move(origin)};  // applied: valid
    return "";
  };

  std::string path;
  if (const char* p = env("EDDY_CONFIG")) path = p;
  for (const auto& f : flags) {
    if (std::string(f.opt->name) == "config") path = f.value;
  }
  if (!path.empty()) {
    auto entries = read_yaml_settings(path);
    if (!entries) return stop(s, 2, "eddy: config file " + path + " " + entries.error() + "\n");
    for (const auto& e : *entries) {
      std::string key = e.key;
      for (auto& c : key) c = c == '_' ? '-' : c;
      const std::string where = "eddy: config file " + path + " line " + std::to_string(e.line) + ": ";
      const option* o = find_option(key);
      if (!o) return stop(s, 2, where + "unknown key '" + e.key + "' (the keys are the flags of --help)\n");
      if (o->from == sources::flag_and_env) return stop(s, 2, where + "'" + e.key + "' can only be a flag or EDDY_CONFIG\n");
      if (auto err = apply(*o, e.value, "file line " + std::to_string(e.line)); !err.empty()) {
        return stop(s, 2, where + "'" + e.key + "' " + err + "\n");
      }
    }
  }
  for (const auto& o : options()) {
    const std::string var = env_name(o.name);
    if (const char* v = env(var.c_str())) {
      if (auto err = apply(o, v, "env " + var); !err.empty()) {
        return stop(s, 2, "eddy: environment variable " + var + " " + err + "\n");
      }
    }
  }
  for (const auto& f : flags) {
    if (auto err = apply(*f.opt, f.value, std::string("flag --") + f.opt->name); !err.empty()) {
      return stop(s, 2, std::string("eddy: flag --") + f.opt->name + " " + err + "\n");
    }
  }

  // Settings that only make sense together, named by where each came from.
  auto from = [&](const char* name) {
    auto it = shown.find(name);
    return it == shown.end() ? std::string("default") : it->second.origin;
  };
  if (s.tls_cert.empty() != s.tls_key.empty()) {
    const char* set = s.tls_cert.empty() ? "tls-key" : "tls-cert";
    return stop(s, 2, std::string("eddy: tls-cert and tls-key go together, but only ") + set + " is set (" +
                          from(set) + ")\n");
  }
  if (s.auth_sigv4 && s.credentials_file.empty()) {
    return stop(s, 2, "eddy: auth sigv4 (" + from("auth") + ") needs credentials-file\n");
  }
  if (!s.in_memory && s.data_dir.empty()) return stop(s, 2, "eddy: data-dir is empty\n");

  if (print) return stop(s, 0, render_settings(shown));
  return {s, false, 0, ""};
}

}  // namespace eddy::config
