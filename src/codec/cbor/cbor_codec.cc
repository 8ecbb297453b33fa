#include "eddy/codec/cbor_codec.h"

#include "eddy/codec/record_list.h"

#include <cbor.h>

#include <bit>
#include <cstring>
#include <optional>
#include <vector>

namespace eddy::codec::cbor {
namespace {

constexpr size_t kMaxDepth = 64;

// Builds a document from libcbor's streaming decoder events. libcbor reads every CBOR item, tags 0-5
// included (nlohmann's reader rejects tag 1, which every Java SDK timestamp carries); tags are dropped so
// a timestamp arrives as its number. The nesting stack is explicit and bounded, so no input can recurse.
class builder {
 public:
  bool failed = false;

  bool complete() const { return root_.has_value() && stack_.empty() && !chunks_; }
  document take() { return std::move(*root_); }

  void value(document v) {
    if (failed) return;
    if (stack_.empty()) {
      if (root_) {
        failed = true;
        return;
      }
      root_ = std::move(v);
      return;
    }
    frame& top = stack_.back();
    if (top.is_map && !top.key) {
      if (!v.is_string()) {
        failed = true;  // AWS protocols only use text keys
        return;
      }
      top.key = v.get<std::string>();
    } else if (top.is_map) {
      top.value[*top.key] = std::move(v);
      top.key.reset();
    } else {
      top.value.push_back(std::move(v));
    }
    if (!top.indefinite && --top.remaining == 0) close();
  }

  void open(bool is_map, bool indefinite, size_t items) {
    if (failed) return;
    if (stack_.size() >= kMaxDepth) {
      failed = true;
      return;
    }
    stack_.push_back({is_map ? document::object() : document::array(), is_map, indefinite,
                      is_map ? 2 * static_cast<uint64_t>(items) : items, std::nullopt});
    if (!indefinite && items == 0) close();
  }

  void brk() {
    if (failed) return;
    if (chunks_) {
      document v = chunk_bytes_ ? make_blob(*chunks_) : document(*chunks_);
      chunks_.reset();
      value(std::move(v));
      return;
    }
    if (stack_.empty() || !stack_.back().indefinite || stack_.back().key) {
      failed = true;
      return;
    }
    close();
  }

  void start_chunks(bool bytes) {
    if (chunks_) failed = true;
    chunks_.emplace();
    chunk_bytes_ = bytes;
  }

  void piece(const unsigned char* data, size_t n, bool bytes) {
    if (failed) return;
    const std::string_view s(reinterpret_cast<const char*>(data), n);
    if (chunks_) {
      if (chunk_bytes_ != bytes) failed = true;
      chunks_->append(s);
      return;
    }
    value(bytes ? make_blob(s) : document(std::string(s)));
  }

 private:
  struct frame {
    document value;
    bool is_map;
    bool indefinite;
    uint64_t remaining;
    std::optional<std::string> key;
  };

  void close() {
    document done = std::move(stack_.back().value);
    stack_.pop_back();
    value(std::move(done));
  }

  std::vector<frame> stack_;
  std::optional<document> root_;
  std::optional<std::string> chunks_;
  bool chunk_bytes_ = false;
};

builder& b(void* ctx) { return *static_cast<builder*>(ctx); }

const cbor_callbacks& callbacks() {
  static const cbor_callbacks cb = [] {
    cbor_callbacks c = cbor_empty_callbacks;
    c.uint8 = [](void* x, uint8_t v) { b(x).value(document(uint64_t{v})); };
    c.uint16 = [](void* x, uint16_t v) { b(x).value(document(uint64_t{v})); };
    c.uint32 = [](void* x, uint32_t v) { b(x).value(document(uint64_t{v})); };
    c.uint64 = [](void* x, uint64_t v) { b(x).value(document(v)); };
    c.negint8 = [](void* x, uint8_t v) { b(x).value(document(-1 - int64_t{v})); };
    c.negint16 = [](void* x, uint16_t v) { b(x).value(document(-1 - int64_t{v})); };
    c.negint32 = [](void* x, uint32_t v) { b(x).value(document(-1 - int64_t{v})); };
    c.negint64 = [](void* x, uint64_t v) {
      if (v > static_cast<uint64_t>(INT64_MAX)) {
        b(x).failed = true;
      } else {
        b(x).value(document(-1 - static_cast<int64_t>(v)));
      }
    };
    c.byte_string_start = [](void* x) { b(x).start_chunks(true); };
    c.byte_string = [](void* x, cbor_data d, size_t n) { b(x).piece(d, n, true); };
    c.string_start = [](void* x) { b(x).start_chunks(false); };
    c.string = [](void* x, cbor_data d, size_t n) { b(x).piece(d, n, false); };
    c.indef_array_start = [](void* x) { b(x).open(false, true, 0); };
    c.array_start = [](void* x, size_t n) { b(x).open(false, false, n); };
    c.indef_map_start = [](void* x) { b(x).open(true, true, 0); };
    c.map_start = [](void* x, size_t n) { b(x).open(true, false, n); };
    c.tag = [](void*, uint64_t) {};  // tag 1 (timestamp) and any other: keep the tagged value only
    c.float2 = [](void* x, float v) { b(x).value(document(static_cast<double>(v))); };
    c.float4 = [](void* x, float v) { b(x).value(document(static_cast<double>(v))); };
    c.float8 = [](void* x, double v) { b(x).value(document(v)); };
    c.undefined = [](void* x) { b(x).value(document(nullptr)); };
    c.null = [](void* x) { b(x).value(document(nullptr)); };
    c.boolean = [](void* x, bool v) { b(x).value(document(v)); };
    c.indef_break = [](void* x) { b(x).brk(); };
    return c;
  }();
  return cb;
}

void head(std::string& out, uint8_t major, uint64_t v) {
  const auto m = static_cast<char>(major << 5);
  auto be = [&out](uint64_t x, int bytes) {
    for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((x >> (8 * i)) & 0xff));
  };
  if (v < 24) {
    out.push_back(static_cast<char>(m | static_cast<char>(v)));
  } else if (v <= 0xff) {
    out.push_back(static_cast<char>(m | 24));
    be(v, 1);
  } else if (v <= 0xffff) {
    out.push_back(static_cast<char>(m | 25));
    be(v, 2);
  } else if (v <= 0xffffffffULL) {
    out.push_back(static_cast<char>(m | 26));
    be(v, 4);
  } else {
    out.push_back(static_cast<char>(m | 27));
    be(v, 8);
  }
}

void integer(std::string& out, int64_t v) {
  if (v >= 0) {
    head(out, 0, static_cast<uint64_t>(v));
  } else {
    head(out, 1, static_cast<uint64_t>(-(v + 1)));
  }
}

void text(std::string& out, std::string_view s) {
  head(out, 3, s.size());
  out.append(s);
}

void timestamp(std::string& out, int64_t ms, timestamp_style style) {
  out.push_back(static_cast<char>(0xc1));
  if (style == timestamp_style::aws_millis) {
    integer(out, ms);
  } else {
    out.push_back(static_cast<char>(0xfb));
    const auto bits = std::bit_cast<uint64_t>(static_cast<double>(ms) / 1000.0);
    for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
  }
}

// A packed record list (record_list.h), written as its records would be as documents: definite-length
// maps, keys in the document's (sorted) order.
void write_records(std::string& out, const document& d, timestamp_style style) {
  const auto list = read_record_list(d);
  head(out, 4, list.records.size());
  for (const auto& r : list.records) {
    head(out, 5, list.kms ? 5 : 4);
    text(out, "ApproximateArrivalTimestamp");
    timestamp(out, r.arrival_ms, style);
    text(out, "Data");
    head(out, 2, r.data.size());
    out.append(r.data);
    if (list.kms) {
      text(out, "EncryptionType");
      text(out, "KMS");
    }
    text(out, "PartitionKey");
    text(out, r.partition_key);
    text(out, "SequenceNumber");
    text(out, r.sequence_number);
  }
}

void write(std::string& out, const document& d, timestamp_style style) {
  switch (d.type()) {
    case document::value_t::object:
      head(out, 5, d.size());
      for (const auto& [k, v] : d.items()) {
        head(out, 3, k.size());
        out += k;
        write(out, v, style);
      }
      break;
    case document::value_t::array:
      head(out, 4, d.size());
      for (const auto& v : d) write(out, v, style);
      break;
    case document::value_t::string: {
      const auto& s = d.get_ref<const std::string&>();
      head(out, 3, s.size());
      out += s;
      break;
    }
    case document::value_t::binary:
      if (is_timestamp(d)) {
        timestamp(out, timestamp_ms(d), style);
      } else if (is_record_list(d)) {
        write_records(out, d, style);
      } else {
        head(out, 2, d.get_binary().size());
        out.append(reinterpret_cast<const char*>(d.get_binary().data()), d.get_binary().size());
      }
      break;
    case document::value_t::boolean: out.push_back(static_cast<char>(d.get<bool>() ? 0xf5 : 0xf4)); break;
    case document::value_t::number_integer: integer(out, d.get<int64_t>()); break;
    case document::value_t::number_unsigned: head(out, 0, d.get<uint64_t>()); break;
    case document::value_t::number_float: {
      out.push_back(static_cast<char>(0xfb));
      const auto bits = std::bit_cast<uint64_t>(d.get<double>());
      for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
      break;
    }
    case document::value_t::null:
    case document::value_t::discarded: out.push_back(static_cast<char>(0xf6)); break;
  }
}

}  // namespace

std::optional<document> decode(std::string_view body) {
  builder out;
  const auto* data = reinterpret_cast<const unsigned char*>(body.data());
  size_t at = 0;
  while (at < body.size() && !out.failed && !out.complete()) {
    const cbor_decoder_result r = cbor_stream_decode(data + at, body.size() - at, &callbacks(), &out);
    if (r.status != CBOR_DECODER_FINISHED || r.read == 0) return std::nullopt;
    at += r.read;
  }
  if (out.failed || !out.complete() || at != body.size()) return std::nullopt;
  return out.take();
}

std::string encode(const document& d, timestamp_style style) {
  std::string out;
  write(out, d, style);
  return out;
}

}  // namespace eddy::codec::cbor
