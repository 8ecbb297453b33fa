#include "eddy/codec/json_codec.h"

#include <simdjson.h>

#include <cstdio>

#include "eddy/base/base64.h"
#include "eddy/codec/record_list.h"

namespace eddy::codec::json {
namespace {

// Characters JSON requires escaped: the quote, the backslash and controls below 0x20.
constexpr bool needs_escape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

void write_string(std::string& out, std::string_view s) {
  out.push_back('"');
  size_t run = 0;  // start of the pending stretch of characters copied as they are
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (!needs_escape(c)) continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default: {
        static constexpr char hex[] = "0123456789abcdef";
        const char esc[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
        out.append(esc, sizeof esc);
      }
    }
  }
  out.append(s.data() + run, s.size() - run);
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

// A packed record list (record_list.h), written as its records would be as documents: keys in the
// document's (sorted) order.
void write_records(std::string& out, const document& d) {
  const auto list = read_record_list(d);
  size_t bytes = 2;
  for (const auto& r : list.records) bytes += 160 + r.sequence_number.size() + r.partition_key.size() + r.data.size() * 4 / 3;
  out.reserve(out.size() + bytes);
  out.push_back('[');
  bool first = true;
  for (const auto& r : list.records) {
    if (!first) out.push_back(',');
    first = false;
    out += "{\"ApproximateArrivalTimestamp\":";
    write_timestamp(out, r.arrival_ms);
    out += ",\"Data\":\"";
    base64::encode_append(out, reinterpret_cast<const uint8_t*>(r.data.data()), r.data.size());
    out += list.kms ? "\",\"EncryptionType\":\"KMS\",\"PartitionKey\":" : "\",\"PartitionKey\":";
    write_string(out, r.partition_key);
    out += ",\"SequenceNumber\":";
    write_string(out, r.sequence_number);
    out.push_back('}');
  }
  out.push_back(']');
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
      } else if (is_record_list(d)) {
        write_records(out, d);
      } else {
        out.push_back('"');
        base64::encode_append(out, d.get_binary().data(), d.get_binary().size());
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

// simdjson's tree turned into a document. Depth is bounded by the parser (kMaxDepth), so this recursion is.
document from_simdjson(simdjson::dom::element e) {
  using simdjson::dom::element_type;
  switch (e.type()) {
    case element_type::OBJECT: {
      document out = document::object();
      auto& obj = out.get_ref<document::object_t&>();
      simdjson::dom::object in;
      if (e.get(in) != simdjson::SUCCESS) return nullptr;  // not after the type check above
      // A repeated key keeps its last value, as nlohmann's own parser does.
      for (auto field : in) {
        obj.insert_or_assign(std::string(field.key), from_simdjson(field.value));
      }
      return out;
    }
    case element_type::ARRAY: {
      document out = document::array();
      auto& arr = out.get_ref<document::array_t&>();
      simdjson::dom::array a;
      if (e.get(a) != simdjson::SUCCESS) return nullptr;
      arr.reserve(a.size());
      for (auto v : a) arr.push_back(from_simdjson(v));
      return out;
    }
    case element_type::STRING: {
      std::string_view v;
      if (e.get(v) != simdjson::SUCCESS) return nullptr;
      return std::string(v);
    }
    case element_type::INT64: {
      int64_t v = 0;
      if (e.get(v) != simdjson::SUCCESS) return nullptr;
      // nlohmann makes every integer without a minus sign unsigned, and handlers ask is_number_unsigned().
      if (v >= 0) return static_cast<uint64_t>(v);
      return v;
    }
    case element_type::UINT64: {
      uint64_t v = 0;
      if (e.get(v) != simdjson::SUCCESS) return nullptr;
      return v;
    }
    case element_type::DOUBLE: {
      double v = 0;
      if (e.get(v) != simdjson::SUCCESS) return nullptr;
      return v;
    }
    case element_type::BOOL: {
      bool v = false;
      if (e.get(v) != simdjson::SUCCESS) return nullptr;
      return v;
    }
    case element_type::NULL_VALUE: return nullptr;
  }
  return nullptr;
}

// nlohmann's own parser: the reference for what a document is, used when simdjson refuses a body.
std::optional<document> decode_reference(std::string_view body) {
  document d;
  bounded_dom sax(d);
  if (!document::sax_parse(body.begin(), body.end(), &sax) || d.is_discarded()) return std::nullopt;
  return d;
}

}  // namespace

std::optional<document> decode(std::string_view body) {
  // simdjson parses a 500-record PutRecords about three times faster than nlohmann's lexer, which was a
  // third of the request's CPU (bench/api). Each I/O thread keeps one parser and its buffers; bodies over
  // 1 MiB get a parser of their own so that no thread keeps tens of MiB after one large request.
  constexpr size_t kKeepBuffersUpTo = 1u << 20;
  thread_local simdjson::dom::parser reused(kKeepBuffersUpTo);
  std::optional<simdjson::dom::parser> once;
  simdjson::dom::parser* parser = &reused;
  if (body.size() > kKeepBuffersUpTo) parser = &once.emplace(body.size());
  if (parser->allocate(std::max<size_t>(body.size(), 64), kMaxDepth) == simdjson::SUCCESS) {
    simdjson::dom::element root;
    if (parser->parse(body.data(), body.size(), true).get(root) == simdjson::SUCCESS) return from_simdjson(root);
  }
  // Refused (malformed, too deep, a number past 64 bits): nlohmann decides, so edge cases keep the answers
  // they had; malformed bodies cost two parses, which only their sender pays.
  return decode_reference(body);
}

std::string encode(const document& d) {
  std::string out;
  write(out, d);
  return out;
}

}  // namespace eddy::codec::json
