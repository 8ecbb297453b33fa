#include "response_scan.h"

#include <cstring>
#include <vector>

namespace eddy::bench {
namespace {

// A scalar as the walkers report it. Strings are views into the body (JSON: still escaped).
struct scalar {
  enum kind_t { null, boolean, integer, number, text, bytes } kind = null;
  int64_t i = 0;
  std::string_view s;
};

// The path of the value being visited: top-level keys at depth 0, "[]" for array elements.
struct path {
  static constexpr size_t kMax = 8;
  std::string_view keys[kMax];
  size_t n = 0;
  bool is(std::string_view a) const { return n == 1 && keys[0] == a; }
  bool is(std::string_view a, std::string_view b) const { return n == 2 && keys[0] == a && keys[1] == b; }
  bool is(std::string_view a, std::string_view b, std::string_view c) const {
    return n == 3 && keys[0] == a && keys[1] == b && keys[2] == c;
  }
};

constexpr std::string_view kElem = "[]";

// Decoded length of standard padded base64 text.
int64_t base64_decoded_len(std::string_view s) {
  if (s.empty()) return 0;
  int64_t n = static_cast<int64_t>(s.size() / 4 * 3);
  if (s.back() == '=') --n;
  if (s.size() >= 2 && s[s.size() - 2] == '=') --n;
  return n;
}

// Undoes the JSON escapes a message may hold (\" \\ \/ \n \t \uXXXX as '?' beyond ASCII).
std::string json_unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 >= s.size()) {
      out.push_back(s[i]);
      continue;
    }
    const char c = s[++i];
    switch (c) {
      case 'n': out.push_back('\n'); break;
      case 't': out.push_back('\t'); break;
      case 'r': out.push_back('\r'); break;
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'u': {
        unsigned v = 0;
        for (size_t k = 0; k < 4 && i + 1 < s.size(); ++k) {
          const char h = s[++i];
          v = v * 16 + static_cast<unsigned>(h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
        }
        out.push_back(v < 0x80 ? static_cast<char>(v) : '?');
        break;
      }
      default: out.push_back(c);
    }
  }
  return out;
}

// Turns visited values into the summary. `json` says strings are JSON text, still escaped.
class collector {
 public:
  collector(response_summary& out, bool json) : out_(out), json_(json) {}

  void begin_container(const path& p) {
    if (p.is("Records", kElem)) ++out_.records;
    else if (p.is("ChildShards", kElem)) ++out_.child_shards;
  }

  void value(const path& p, const scalar& v) {
    if (p.n == 1) {
      const auto k = p.keys[0];
      if (k == "__type" && v.kind == scalar::text) out_.error_type = short_error_type(v.s);
      else if ((k == "message" || k == "Message") && v.kind == scalar::text) out_.message = text(v.s);
      else if (k == "FailedRecordCount" && v.kind == scalar::integer) out_.failed_record_count = v.i;
      else if (k == "NextShardIterator") {
        if (v.kind == scalar::text) out_.next_shard_iterator = std::string(v.s);
        else out_.next_shard_iterator_null = true;
      } else if (k == "ShardIterator" && v.kind == scalar::text) out_.shard_iterator = std::string(v.s);
      else if (k == "MillisBehindLatest" && v.kind == scalar::integer) out_.millis_behind_latest = v.i;
      else if (k == "SequenceNumber" && v.kind == scalar::text) out_.sequence_number = std::string(v.s);
      else if (k == "ShardId" && v.kind == scalar::text) out_.shard_id = std::string(v.s);
    } else if (p.n == 3 && p.keys[0] == "Records" && p.keys[1] == kElem) {
      const auto k = p.keys[2];
      if (k == "Data") {
        // JSON and kinesis-mock's CBOR carry base64 text; the others' CBOR a byte string.
        out_.data_bytes += v.kind == scalar::bytes  ? static_cast<int64_t>(v.s.size())
                           : v.kind == scalar::text ? base64_decoded_len(v.s)
                                                    : 0;
      } else if (k == "ErrorCode" && v.kind == scalar::text) {
        auto it = out_.record_error_codes.find(v.s);
        if (it == out_.record_error_codes.end()) out_.record_error_codes.emplace(std::string(v.s), 1);
        else ++it->second;
      }
    }
  }

 private:
  std::string text(std::string_view s) const { return json_ ? json_unescape(s) : std::string(s); }
  response_summary& out_;
  bool json_;
};

// ---- JSON: a non-validating tokenizer that only has to find where each value ends. ----
class json_walker {
 public:
  json_walker(std::string_view b, collector& c) : p_(b.data()), end_(b.data() + b.size()), c_(c) {}

  bool run() {
    path p;
    ws();
    return value(p) && (ws(), p_ == end_);
  }

 private:
  void ws() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  // After the opening quote; leaves p_ after the closing one. Escapes are skipped, not decoded.
  bool string(std::string_view& out) {
    const char* start = p_;
    for (;;) {
      const void* q = std::memchr(p_, '"', static_cast<size_t>(end_ - p_));
      if (!q) return false;
      const char* quote = static_cast<const char*>(q);
      size_t backslashes = 0;
      for (const char* b = quote; b > start && b[-1] == '\\'; --b) ++backslashes;
      p_ = quote + 1;
      if (backslashes % 2 == 0) {
        out = std::string_view(start, static_cast<size_t>(quote - start));
        return true;
      }
    }
  }

  bool value(path& p) {
    if (p_ >= end_) return false;
    switch (*p_) {
      case '{': {
        c_.begin_container(p);
        ++p_;
        ws();
        if (p_ < end_ && *p_ == '}') return ++p_, true;
        for (;;) {
          ws();
          if (p_ >= end_ || *p_ != '"') return false;
          ++p_;
          std::string_view key;
          if (!string(key)) return false;
          ws();
          if (p_ >= end_ || *p_ != ':') return false;
          ++p_;
          ws();
          if (!child(p, key)) return false;
          ws();
          if (p_ >= end_) return false;
          if (*p_ == ',') { ++p_; continue; }
          if (*p_ == '}') return ++p_, true;
          return false;
        }
      }
      case '[': {
        c_.begin_container(p);
        ++p_;
        ws();
        if (p_ < end_ && *p_ == ']') return ++p_, true;
        for (;;) {
          ws();
          if (!child(p, kElem)) return false;
          ws();
          if (p_ >= end_) return false;
          if (*p_ == ',') { ++p_; continue; }
          if (*p_ == ']') return ++p_, true;
          return false;
        }
      }
      case '"': {
        ++p_;
        scalar v{scalar::text};
        if (!string(v.s)) return false;
        c_.value(p, v);
        return true;
      }
      default: {
        const char* start = p_;
        while (p_ < end_ && *p_ != ',' && *p_ != '}' && *p_ != ']' && *p_ != ' ' && *p_ != '\n' && *p_ != '\r' &&
               *p_ != '\t')
          ++p_;
        const std::string_view tok(start, static_cast<size_t>(p_ - start));
        if (tok.empty()) return false;
        scalar v;
        if (tok == "null") v.kind = scalar::null;
        else if (tok == "true" || tok == "false") v = {scalar::boolean, tok == "true"};
        else if (tok.find_first_of(".eE") == std::string_view::npos) {
          v.kind = scalar::integer;
          bool neg = tok[0] == '-';
          for (size_t i = neg ? 1 : 0; i < tok.size(); ++i) {
            if (tok[i] < '0' || tok[i] > '9') return false;
            v.i = v.i * 10 + (tok[i] - '0');
          }
          if (neg) v.i = -v.i;
        } else {
          v.kind = scalar::number;
        }
        c_.value(p, v);
        return true;
      }
    }
  }

  bool child(path& p, std::string_view key) {
    if (++depth_ > 64) return false;
    const bool tracked = p.n < path::kMax;
    if (tracked) p.keys[p.n++] = key;
    const bool ok = value(p);
    if (tracked) --p.n;
    --depth_;
    return ok;
  }

  const char* p_;
  const char* end_;
  collector& c_;
  int depth_ = 0;
};

// ---- CBOR (RFC 8949), walked item by item. ----
//
//   initial byte: major type (top 3 bits) | argument (low 5 bits)
//     argument 0..23: the value itself; 24/25/26/27: a 1/2/4/8-byte big-endian value follows;
//     31: indefinite length (strings, arrays, maps), ended by the break byte 0xff
//   0 unsigned int   1 negative int (-1 - n)   2 byte string   3 text string   4 array (n items)
//   5 map (n key/value pairs)   6 tag (a number, then one item: AWS's timestamps are tag 1 + int millis)
//   7 simple values and floats: 0xf4 false, 0xf5 true, 0xf6 null, 0xf7 undefined, 0xf9/fa/fb half/single/double
class cbor_walker {
 public:
  cbor_walker(std::string_view b, collector& c)
      : p_(reinterpret_cast<const uint8_t*>(b.data())), end_(p_ + b.size()), c_(c) {}

  bool run() {
    path p;
    return item(p) && p_ == end_;
  }

 private:
  bool arg(uint8_t info, uint64_t& v) {
    if (info < 24) return v = info, true;
    size_t n = info == 24 ? 1 : info == 25 ? 2 : info == 26 ? 4 : info == 27 ? 8 : 0;
    if (n == 0 || static_cast<size_t>(end_ - p_) < n) return false;
    v = 0;
    for (size_t i = 0; i < n; ++i) v = (v << 8) | *p_++;
    return true;
  }

  // A (possibly chunked) string. Chunked strings are reported by their first chunk only, which is
  // enough for counting; definite lengths are what every peer sends.
  bool str(uint8_t major, uint8_t info, std::string_view& out) {
    if (info == 31) {
      bool first = true;
      while (p_ < end_ && *p_ != 0xff) {
        const uint8_t ib = *p_++;
        if ((ib >> 5) != major) return false;
        std::string_view part;
        if (!str(major, ib & 31, part)) return false;
        if (first) out = part;
        first = false;
      }
      if (p_ >= end_) return false;
      ++p_;
      if (first) out = {};
      return true;
    }
    uint64_t len = 0;
    if (!arg(info, len) || static_cast<uint64_t>(end_ - p_) < len) return false;
    out = std::string_view(reinterpret_cast<const char*>(p_), len);
    p_ += len;
    return true;
  }

  bool item(path& p) {
    if (p_ >= end_ || ++depth_ > 64) return false;
    const uint8_t ib = *p_++;
    const uint8_t major = ib >> 5, info = ib & 31;
    bool ok = true;
    switch (major) {
      case 0: case 1: {
        uint64_t v = 0;
        ok = arg(info, v);
        scalar s{scalar::integer, major == 0 ? static_cast<int64_t>(v) : -1 - static_cast<int64_t>(v)};
        if (ok) c_.value(p, s);
        break;
      }
      case 2: case 3: {
        scalar s{major == 2 ? scalar::bytes : scalar::text};
        ok = str(major, info, s.s);
        if (ok) c_.value(p, s);
        break;
      }
      case 4: {
        c_.begin_container(p);
        uint64_t n = 0;
        const bool indefinite = info == 31;
        if (!indefinite && !arg(info, n)) return false;
        for (uint64_t i = 0; ok && (indefinite ? (p_ < end_ && *p_ != 0xff) : i < n); ++i) ok = child(p, kElem);
        if (ok && indefinite) ok = p_ < end_ && *p_++ == 0xff;
        break;
      }
      case 5: {
        c_.begin_container(p);
        uint64_t n = 0;
        const bool indefinite = info == 31;
        if (!indefinite && !arg(info, n)) return false;
        for (uint64_t i = 0; ok && (indefinite ? (p_ < end_ && *p_ != 0xff) : i < n); ++i) {
          if (p_ >= end_) return false;
          const uint8_t kb = *p_++;
          std::string_view key;
          if ((kb >> 5) != 3 || !str(3, kb & 31, key)) return false;  // Kinesis keys are text
          ok = child(p, key);
        }
        if (ok && indefinite) ok = p_ < end_ && *p_++ == 0xff;
        break;
      }
      case 6: {
        uint64_t tag = 0;
        ok = arg(info, tag) && item(p);  // the tagged item stands for itself (tag 1: millis)
        break;
      }
      default: {  // 7
        scalar s;
        if (info == 20 || info == 21) s = {scalar::boolean, info == 21};
        else if (info == 22 || info == 23) s.kind = scalar::null;
        else if (info >= 25 && info <= 27) {
          const size_t n = info == 25 ? 2 : info == 26 ? 4 : 8;
          if (static_cast<size_t>(end_ - p_) < n) return false;
          p_ += n;
          s.kind = scalar::number;
        } else if (info == 24) {
          if (p_ >= end_) return false;
          ++p_;
        } else if (info >= 28) {
          return false;
        }
        c_.value(p, s);
      }
    }
    --depth_;
    return ok;
  }

  bool child(path& p, std::string_view key) {
    const bool tracked = p.n < path::kMax;
    if (tracked) p.keys[p.n++] = key;
    const bool ok = item(p);
    if (tracked) --p.n;
    return ok;
  }

  const uint8_t* p_;
  const uint8_t* end_;
  collector& c_;
  int depth_ = 0;
};

}  // namespace

std::string short_error_type(std::string_view t) {
  if (const auto hash = t.rfind('#'); hash != std::string_view::npos) t.remove_prefix(hash + 1);
  if (const auto colon = t.find(':'); colon != std::string_view::npos) t = t.substr(0, colon);
  return std::string(t);
}

bool scan_response(std::string_view body, body_format format, response_summary& out) {
  collector c(out, format == body_format::json);
  if (format == body_format::json) return json_walker(body, c).run();
  return cbor_walker(body, c).run();
}

}  // namespace eddy::bench
