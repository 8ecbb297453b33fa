#include "validator.h"

#include <cmath>
#include <cstdint>
#include <mutex>

#include "eddy/base/base64.h"

namespace eddy::api::model {
namespace {

using codec::document;

struct type_error {
  std::string message;
};

std::string lower_first(const std::string& s) {
  std::string out = s;
  if (!out.empty()) out[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(out[0])));
  return out;
}

// Java's String.length(): UTF-16 code units.
int64_t java_length(const std::string& s) {
  int64_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) == 0x80) continue;
    n += (c >= 0xF0) ? 2 : 1;
  }
  return n;
}

const char* type_name(kind k) {
  switch (k) {
    case kind::integer: return "Integer";
    case kind::long_: return "Long";
    default: return "String";
  }
}

// Mirrors the Jackson errors AWS's JSON front end returns.
std::optional<type_error> structural_mismatch(const document& v) {
  if (v.is_array()) return type_error{"Start of list found where not expected"};
  if (v.is_object()) return type_error{"Start of structure or map found where not expected."};
  return std::nullopt;
}

std::optional<type_error> check_type(document& v, const shape& s, protocol p);

std::optional<type_error> check_members(document& obj, const shape& s, protocol p) {
  // Unknown members (StreamId, for one) and explicit nulls are dropped, as AWS ignores them.
  for (auto it = obj.begin(); it != obj.end();) {
    bool known = false;
    for (const auto& m : s.members) known = known || m.name == it.key();
    if (!known || it->is_null()) {
      it = obj.erase(it);
    } else {
      ++it;
    }
  }
  for (const auto& m : s.members) {
    auto it = obj.find(m.name);
    if (it == obj.end()) continue;
    if (auto e = check_type(*it, *m.s, p)) return e;
  }
  return std::nullopt;
}

std::optional<type_error> check_type(document& v, const shape& s, protocol p) {
  switch (s.k) {
    case kind::string:
      if (v.is_string()) return std::nullopt;
      if (v.is_boolean()) return type_error{"class java.lang.Boolean can not be converted to an String"};
      if (v.is_number()) return type_error{"class java.math.BigDecimal can not be converted to an String"};
      return structural_mismatch(v);
    case kind::integer:
    case kind::long_:
      if (v.is_number_integer()) return std::nullopt;
      if (v.is_number_float()) {
        const double d = std::floor(v.get<double>());
        v = !(d < 9.2e18) ? INT64_MAX : !(d > -9.2e18) ? INT64_MIN : static_cast<int64_t>(d);  // no UB out of range
        return std::nullopt;
      }
      if (v.is_boolean()) return type_error{std::string("class java.lang.Boolean can not be converted to an ") + type_name(s.k)};
      if (v.is_string()) return type_error{std::string("class java.lang.String can not be converted to an ") + type_name(s.k)};
      return structural_mismatch(v);
    case kind::boolean:
      if (v.is_boolean()) return std::nullopt;
      if (v.is_number()) return type_error{"class java.math.BigDecimal can not be converted to an Boolean"};
      if (v.is_string()) {
        std::string up = v.get<std::string>();
        for (auto& c : up) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        return type_error{"'" + up + "' can not be converted to an Boolean"};
      }
      return structural_mismatch(v);
    case kind::blob: {
      if (codec::is_blob(v)) return std::nullopt;
      if (v.is_boolean()) return type_error{"class java.lang.Boolean can not be converted to a Blob"};
      if (v.is_number()) return type_error{"class java.math.BigDecimal can not be converted to a Blob"};
      if (!v.is_string()) return structural_mismatch(v);
      const std::string& text = v.get_ref<const std::string&>();
      base64::decode_failure why{};
      auto bytes = base64::decode(text, &why);
      if (!bytes) {
        std::string msg = "'" + text + "' can not be converted to a Blob: ";
        switch (why.kind) {
          case base64::decode_error::bad_length:
            msg += "Base64 encoded length is expected a multiple of 4 bytes but found: " + std::to_string(text.size());
            break;
          case base64::decode_error::bad_character:
            msg += std::string("Invalid Base64 character: '") + why.character + "'";
            break;
          case base64::decode_error::non_canonical:
            msg += "Invalid last non-pad Base64 character dectected";
            break;
        }
        return type_error{msg};
      }
      v = codec::make_blob(std::move(*bytes));
      return std::nullopt;
    }
    case kind::timestamp:
      if (codec::is_timestamp(v)) return std::nullopt;
      if (v.is_number_integer() || v.is_number_unsigned()) {
        // Absurd values saturate rather than overflow; they then fail as "in the future" or match nothing.
        const int64_t n = v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)
                              ? INT64_MAX
                              : v.get<int64_t>();
        int64_t ms = n;
        if (p != protocol::cbor) ms = n > INT64_MAX / 1000 ? INT64_MAX : n < INT64_MIN / 1000 ? INT64_MIN : n * 1000;
        v = codec::make_timestamp(ms);
        return std::nullopt;
      }
      if (v.is_number_float()) {
        // Floats are seconds in both protocols (the Java SDK's JSON mode sends 1.603149588042E9).
        const double ms = v.get<double>() * 1000.0;
        v = codec::make_timestamp(!(ms < 9.2e18) ? INT64_MAX : !(ms > -9.2e18) ? INT64_MIN : std::llround(ms));
        return std::nullopt;
      }
      if (v.is_boolean()) return type_error{"class java.lang.Boolean can not be converted to milliseconds"};
      if (v.is_string()) return type_error{"class java.lang.String can not be converted to milliseconds"};
      return structural_mismatch(v);
    case kind::list:
      if (v.is_array()) {
        for (auto& e : v) {
          if (e.is_null()) continue;
          if (auto err = check_type(e, *s.element, p)) return err;
        }
        return std::nullopt;
      }
      if (v.is_object()) return type_error{"Start of structure or map found where not expected."};
      return type_error{"Expected list or null"};
    case kind::map:
      if (v.is_object()) {
        for (auto& [k, e] : v.items()) {
          if (e.is_null()) continue;
          if (auto err = check_type(e, *s.element, p)) return err;
        }
        return std::nullopt;
      }
      if (v.is_array()) return type_error{"Start of list found where not expected"};
      return type_error{"Expected map or null"};
    case kind::structure:
      if (v.is_object()) return check_members(v, s, p);
      if (v.is_array()) return type_error{"Start of list found where not expected"};
      return type_error{"Expected null"};
  }
  return std::nullopt;
}

// ---- constraints -------------------------------------------------------------------------------

struct collector {
  std::vector<std::string> errors;
  bool full() const { return errors.size() >= 10; }
};

std::string value_text(const document& v, const shape& s) {
  if (v.is_null()) return "null";
  switch (s.k) {
    case kind::blob: {
      const auto n = std::to_string(v.is_binary() ? v.get_binary().size() : 0);
      return "java.nio.HeapByteBuffer[pos=0 lim=" + n + " cap=" + n + "]";
    }
    case kind::list: {
      std::string out = "[";
      bool first = true;
      for (const auto& e : v) {
        if (!first) out += ", ";
        first = false;
        out += s.element ? value_text(e, *s.element) : e.dump();
      }
      return out + "]";
    }
    case kind::map: {
      std::string out = "{";
      bool first = true;
      for (const auto& [k, e] : v.items()) {
        if (!first) out += ", ";
        first = false;
        out += k + "=" + (s.element ? value_text(e, *s.element) : e.dump());
      }
      return out + "}";
    }
    case kind::timestamp: return std::to_string(codec::timestamp_ms(v));
    case kind::structure:
      // AWS prints Java's Object.toString() here; never echo a structure's members (they may hold data).
      return "com.amazonaws.kinesis.v20131202." + (s.java_name.empty() ? std::string("Structure") : s.java_name) + "@2";
    case kind::string: return v.get<std::string>();
    default: return v.is_string() ? v.get<std::string>() : v.dump();
  }
}

void add(collector& c, const document& v, const shape& s, const std::string& path, const std::string& what) {
  if (c.full()) return;
  std::string value = value_text(v, s);
  if (value != "null") value = "'" + value + "'";
  c.errors.push_back("Value " + value + " at '" + path + "' failed to satisfy constraint: " + what);
}

void check_value(const document& v, const shape& s, const std::string& path, collector& c);

// Every constraint of a scalar shape, as AWS lists them inside "Member must satisfy constraint: [...]".
std::string constraints_of(const shape& s) {
  std::vector<std::string> parts;
  if (s.max_length) parts.push_back("Member must have length less than or equal to " + std::to_string(*s.max_length));
  if (s.min_length) parts.push_back("Member must have length greater than or equal to " + std::to_string(*s.min_length));
  if (s.regex) parts.push_back("Member must satisfy regular expression pattern: " + s.regex->text);
  if (!s.enum_values.empty()) {
    std::string set;
    for (const auto& e : s.enum_values) set += (set.empty() ? "" : ", ") + e;
    parts.push_back("Member must satisfy enum value set: [" + set + "]");
  }
  if (s.max_value) parts.push_back("Member must have value less than or equal to " + std::to_string(*s.max_value));
  if (s.min_value) parts.push_back("Member must have value greater than or equal to " + std::to_string(*s.min_value));
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ", ") + p;
  return "[" + out + "]";
}

bool violates(const document& v, const shape& s) {
  collector probe;
  check_value(v, s, "", probe);
  return !probe.errors.empty();
}

// Lists and maps of scalars are judged whole, as AWS does: one error at the collection's path naming every
// constraint of its elements ("Member must satisfy constraint: [...]", "Map value must ...").
bool is_scalar(const shape* s) { return s && s->k != kind::structure && s->k != kind::list && s->k != kind::map; }

void check_struct(const document& obj, const shape& s, const std::string& prefix, collector& c) {
  for (const auto& m : s.members) {
    const std::string path = prefix.empty() ? lower_first(m.name) : prefix + "." + lower_first(m.name);
    auto it = obj.find(m.name);
    if (it == obj.end()) {
      if (m.required) add(c, document(nullptr), *m.s, path, "Member must not be null");
      continue;
    }
    check_value(*it, *m.s, path, c);
  }
}

void check_value(const document& v, const shape& s, const std::string& path, collector& c) {
  if (v.is_null()) return;
  int64_t length = -1;
  switch (s.k) {
    case kind::string: length = java_length(v.get_ref<const std::string&>()); break;
    case kind::blob: length = static_cast<int64_t>(v.get_binary().size()); break;
    case kind::list:
    case kind::map: length = static_cast<int64_t>(v.size()); break;
    default: break;
  }
  // libstdc++'s std::regex recurses once per character it matches, so a long enough value overflows the
  // stack: a 100 KB StreamName took the broker down (tests/fuzz/regressions/pipeline). A value over the
  // shape's max_length fails on its length anyway, so only values within it meet the pattern; every
  // pattern with an unbounded repetition has a max_length (2048 at most), and the others repeat at most
  // 129 times. An overlong value is therefore reported for its length alone.
  const bool over_max = s.max_length && length > *s.max_length;
  if (s.regex && s.k == kind::string && !over_max &&
      !std::regex_match(v.get_ref<const std::string&>(), *s.regex->re)) {
    add(c, v, s, path, "Member must satisfy regular expression pattern: " + s.regex->text);
  }
  if (s.min_length && length >= 0 && length < *s.min_length) {
    add(c, v, s, path, "Member must have length greater than or equal to " + std::to_string(*s.min_length));
  }
  if (s.max_length && length >= 0 && length > *s.max_length) {
    add(c, v, s, path, "Member must have length less than or equal to " + std::to_string(*s.max_length));
  }
  if ((s.k == kind::integer || s.k == kind::long_) && v.is_number()) {
    const int64_t n = v.get<int64_t>();
    if (s.min_value && n < *s.min_value) {
      add(c, v, s, path, "Member must have value greater than or equal to " + std::to_string(*s.min_value));
    }
    if (s.max_value && n > *s.max_value) {
      add(c, v, s, path, "Member must have value less than or equal to " + std::to_string(*s.max_value));
    }
  }
  if (!s.enum_values.empty() && v.is_string()) {
    bool found = false;
    for (const auto& e : s.enum_values) found = found || e == v.get_ref<const std::string&>();
    if (!found) {
      std::string set;
      for (const auto& e : s.enum_values) set += (set.empty() ? "" : ", ") + e;
      add(c, v, s, path, "Member must satisfy enum value set: [" + set + "]");
    }
  }
  if (s.k == kind::list && is_scalar(s.element)) {
    bool bad = false;
    for (const auto& e : v) bad = bad || violates(e, *s.element);
    if (bad) add(c, v, s, path, "Member must satisfy constraint: " + constraints_of(*s.element));
  } else if (s.k == kind::map && is_scalar(s.key) && is_scalar(s.element)) {
    bool bad_key = false;
    bool bad_value = false;
    for (const auto& [k, e] : v.items()) {
      bad_key = bad_key || violates(document(k), *s.key);
      bad_value = bad_value || violates(e, *s.element);
    }
    if (bad_key) add(c, v, s, path, "Map key must satisfy constraint: " + constraints_of(*s.key));
    if (bad_value) add(c, v, s, path, "Map value must satisfy constraint: " + constraints_of(*s.element));
  } else if (s.k == kind::list && s.element) {
    size_t i = 0;
    for (const auto& e : v) check_value(e, *s.element, path + "." + std::to_string(++i) + ".member", c);
  } else if (s.k == kind::map) {
    for (const auto& [k, e] : v.items()) {
      if (s.key) check_value(document(k), *s.key, path + "." + k + ".key", c);
      if (s.element) check_value(e, *s.element, path + "." + k + ".member", c);
    }
  } else if (s.k == kind::structure) {
    check_struct(v, s, path, c);
  }
}

}  // namespace

pattern make_pattern(const char* text) {
  // One compile at a time: libstdc++'s regex compiler caches characters in the shared ctype<char> facet
  // (ctype::narrow writes its table, GCC PR 77704), a data race TSan reports when two operations' shapes are
  // first built on two I/O threads at once. Compiles are rare (once per pattern); matching writes nothing.
  static std::mutex compiling;
  std::lock_guard lock(compiling);
  return {text, std::make_shared<const std::regex>(text, std::regex::ECMAScript | std::regex::optimize)};
}

op_result<document> validate(const shape& input, document doc, protocol p) {
  if (!doc.is_object()) return fail(serialization_error("Start of list found where not expected"));
  if (auto e = check_members(doc, input, p)) return fail(serialization_error(e->message));
  collector c;
  check_struct(doc, input, "", c);
  if (!c.errors.empty()) {
    std::string msg = std::to_string(c.errors.size()) + " validation error" + (c.errors.size() > 1 ? "s" : "") +
                      " detected: ";
    for (size_t i = 0; i < c.errors.size(); ++i) msg += (i ? "; " : "") + c.errors[i];
    return fail(validation_error(std::move(msg)));
  }
  return doc;
}

}  // namespace eddy::api::model
