#include "eddy/codec/record_list.h"

#include <cstring>

namespace eddy::codec {
namespace {

constexpr size_t kHeader = 5;  // u32 count, u8 flags

template <class T>
void put(std::vector<std::uint8_t>& b, T v) {
  const size_t at = b.size();
  b.resize(at + sizeof v);
  std::memcpy(b.data() + at, &v, sizeof v);
}

template <class T>
T get(const std::uint8_t*& p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  p += sizeof v;
  return v;
}

}  // namespace

record_list_builder::record_list_builder(bool kms, size_t expected_bytes) {
  buf_.reserve(kHeader + expected_bytes);
  buf_.resize(kHeader);
  buf_[4] = kms ? 1 : 0;
}

void record_list_builder::add(std::string_view sequence_number, std::int64_t arrival_ms,
                              std::string_view partition_key, std::string_view data) {
  buf_.push_back(static_cast<std::uint8_t>(sequence_number.size()));
  buf_.insert(buf_.end(), sequence_number.begin(), sequence_number.end());
  put(buf_, arrival_ms);
  put(buf_, static_cast<std::uint32_t>(partition_key.size()));
  buf_.insert(buf_.end(), partition_key.begin(), partition_key.end());
  put(buf_, static_cast<std::uint32_t>(data.size()));
  buf_.insert(buf_.end(), data.begin(), data.end());
  ++count_;
}

document record_list_builder::finish() && {
  std::memcpy(buf_.data(), &count_, sizeof count_);
  return document::binary(std::move(buf_), record_list_subtype);
}

bool is_record_list(const document& d) {
  return d.is_binary() && d.get_binary().has_subtype() && d.get_binary().subtype() == record_list_subtype &&
         d.get_binary().size() >= kHeader;
}

record_list_view read_record_list(const document& d) {
  const auto& b = d.get_binary();
  const std::uint8_t* p = b.data();
  record_list_view out;
  const auto count = get<std::uint32_t>(p);
  out.kms = (get<std::uint8_t>(p) & 1) != 0;
  out.records.reserve(count);
  auto text = [&p](size_t n) {
    std::string_view s(reinterpret_cast<const char*>(p), n);
    p += n;
    return s;
  };
  for (std::uint32_t i = 0; i < count; ++i) {
    record_view r{};
    r.sequence_number = text(get<std::uint8_t>(p));
    r.arrival_ms = get<std::int64_t>(p);
    r.partition_key = text(get<std::uint32_t>(p));
    r.data = text(get<std::uint32_t>(p));
    out.records.push_back(r);
  }
  return out;
}

}  // namespace eddy::codec
