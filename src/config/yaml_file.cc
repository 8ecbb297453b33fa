#include "yaml_file.h"

#include <yaml-cpp/yaml.h>

namespace eddy::config {
namespace {

std::string at(const YAML::Node& n) { return "line " + std::to_string(n.Mark().line + 1); }

// Settings whose value is a comma-separated list in a flag, and may be a YAML sequence in the file.
bool is_list(const std::string& key) {
  return key == "init-streams" || key == "init-consumers" || key == "fault-types" || key == "fault-ops";
}

// A list item as text; an item of init-streams or init-consumers may be a mapping, in the flags' item syntax.
result<std::string, std::string> item_text(const std::string& key, const YAML::Node& item) {
  if (item.IsScalar()) return item.Scalar();
  const bool mappings = key == "init-streams" || key == "init-consumers";
  if (!mappings || !item.IsMap()) {
    return fail(at(item) + ": an item of '" + key + "' must be text" + (mappings ? " or a mapping" : ""));
  }
  auto field = [&](const char* name) { return item[name] ? item[name].as<std::string>() : std::string(); };
  if (key == "init-streams") {
    std::string out = field("name");
    if (item["shards"] || item["mode"]) out += ":" + field("shards");
    if (item["mode"]) out += ":" + field("mode");
    return out;
  }
  const std::string consumer = item["consumer"] ? field("consumer") : field("name");
  return field("stream") + ":" + consumer;
}

}  // namespace

result<std::vector<file_entry>, std::string> read_yaml_settings(const std::string& path) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    return fail(std::string("cannot be read"));
  } catch (const YAML::ParserException& e) {
    return fail("line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  std::vector<file_entry> out;
  if (root.IsNull()) return out;  // an empty file sets nothing
  if (!root.IsMap()) return fail(at(root) + ": expects a mapping of setting names to values");
  try {
    for (const auto& kv : root) {
      file_entry e;
      e.key = kv.first.as<std::string>();
      e.line = kv.first.Mark().line + 1;
      std::string key = e.key;
      for (auto& c : key) c = c == '_' ? '-' : c;
      const YAML::Node& v = kv.second;
      if (v.IsNull()) {
        return fail("line " + std::to_string(e.line) + ": '" + e.key + "' has no value");
      } else if (v.IsScalar()) {
        e.value = v.Scalar();
      } else if (v.IsSequence() && is_list(key)) {
        for (const auto& item : v) {
          auto t = item_text(key, item);
          if (!t) return fail(t.error());
          e.value += (e.value.empty() ? "" : ",") + *t;
        }
      } else {
        return fail("line " + std::to_string(e.line) + ": '" + e.key + "' expects a single value");
      }
      out.push_back(std::move(e));
    }
  } catch (const YAML::Exception& e) {
    return fail("line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  return out;
}

}  // namespace eddy::config
