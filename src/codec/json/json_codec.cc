#include "eddy/codec/json_codec.h"

#include <cstdio>

#include "eddy/base/base64.h"

namespace eddy::codec::json {
namespace {

void write_string(std::string& out, const std::string& s) {
  out.push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
}

void write_timestamp(std::string& out, std::int64_t ms) {
  const bool negative = ms < 0;
  const std::uint64_t abs = negative ? static_cast<std::uint64_t>(-(ms + 1)) + 1 : static_cast<std::uint64_t>(ms);
  if (negative) out.push_back('-');
  out += std::to_string(abs / 1000);
  if (const unsigned frac = static_cast<unsigned>(abs % 1000); frac != 0) {
    char buf[8];
    std::snprintf(buf, sizeof buf, ".%03u", frac);
    std::string f = buf;
    while (f.back() == '0') f.pop_back();
    out += f;
  }
}

void write(std::string& out, const document& d) {
  switch (d.type()) {
    case document::value_t::object: {
      out.push_back('{');
      bool first = true;
      for (const auto& [k, v] : d.items()) {
        if (!first) out.push_back(',');
        first = false;
        write_string(out, k);
        out.push_back(':');
        write(out, v);
      }
      out.push_back('}');
      break;
    }
    case document::value_t::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& v : d) {
        if (!first) out.push_back(',');
        first = false;
        write(out, v);
      }
      out.push_back(']');
      break;
    }
    case document::value_t::string: write_string(out, d.get_ref<const std::string&>()); break;
    case document::value_t::binary:
      if (is_timestamp(d)) {
        write_timestamp(out, timestamp_ms(d));
      } else {
        out.push_back('"');
        out += base64::encode(d.get_binary().data(), d.get_binary().size());
        out.push_back('"');
      }
      break;
    case document::value_t::boolean: out += d.get<bool>() ? "true" : "false"; break;
    case document::value_t::number_integer: out += std::to_string(d.get<std::int64_t>()); break;
    case document::value_t::number_unsigned: out += std::to_string(d.get<std::uint64_t>()); break;
    case document::value_t::number_float: out += d.dump(); break;
    case document::value_t::null:
    case document::value_t::discarded: out += "null"; break;
  }
}

constexpr size_t kMaxDepth = 64;

// Parsing and destroying deep documents does not recurse in nlohmann, but copying them does: refuse to
// build one deeper than any Kinesis request needs, so no input (a forged NextToken included) can.
class bounded_dom : public nlohmann::json_sax<document> {
 public:
  explicit bounded_dom(document& out) : dom_(out, /*allow_exceptions=*/false) {}
  bool null() override { return dom_.null(); }
  bool boolean(bool v) override { return dom_.boolean(v); }
  bool number_integer(number_integer_t v) override { return dom_.number_integer(v); }
  bool number_unsigned(number_unsigned_t v) override { return dom_.number_unsigned(v); }
  bool number_float(number_float_t v, const string_t& s) override { return dom_.number_float(v, s); }
  bool string(string_t& v) override { return dom_.string(v); }
  bool binary(binary_t& v) override { return dom_.binary(v); }
  bool start_object(std::size_t n) override { return ++depth_ <= kMaxDepth && dom_.start_object(n); }
  bool key(string_t& v) override { return dom_.key(v); }
  bool end_object() override {
    --depth_;
    return dom_.end_object();
  }
  bool start_array(std::size_t n) override { return ++depth_ <= kMaxDepth && dom_.start_array(n); }
  bool end_array() override {
    --depth_;
    return dom_.end_array();
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }

 private:
  nlohmann::detail::json_sax_dom_parser<document> dom_;
  size_t depth_ = 0;
};

}  // namespace

std::optional<document> decode(std::string_view body) {
  document d;
  bounded_dom sax(d);
  if (!document::sax_parse(body.begin(), body.end(), &sax) || d.is_discarded()) return std::nullopt;
  return d;
}

std::string encode(const document& d) {
  std::string out;
  write(out, d);
  return out;
}

}  // namespace eddy::codec::json
