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

}  // namespace

std::optional<document> decode(std::string_view body) {
  auto d = document::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (d.is_discarded()) return std::nullopt;
  return d;
}

std::string encode(const document& d) {
  std::string out;
  write(out, d);
  return out;
}

}  // namespace eddy::codec::json
