#include "eddy/storage/chunk_codec.h"

#include "eddy/storage/key_codec.h"

namespace eddy::storage {

chunk_writer::chunk_writer(int64_t arrival_ms, size_t reserve_bytes) {
  buf_.reserve(chunk_header_size + reserve_bytes);
  buf_.push_back(static_cast<char>(chunk_version));
  buf_.append(3, '\0');
  keys::put_be(buf_, 0, 4);  // count, patched in finish()
  keys::put_be(buf_, static_cast<uint64_t>(arrival_ms), 8);
}

void chunk_writer::add(std::string_view partition_key, std::string_view data) {
  keys::put_be(buf_, partition_key.size(), 2);
  keys::put_be(buf_, data.size(), 4);
  buf_.append(partition_key);
  buf_.append(data);
  ++count_;
}

std::string chunk_writer::finish() {
  for (int i = 0; i < 4; ++i) buf_[4 + i] = static_cast<char>((count_ >> (8 * (3 - i))) & 0xff);
  return std::move(buf_);
}

std::optional<chunk_header> read_chunk_header(std::string_view chunk) {
  if (chunk.size() < chunk_header_size || static_cast<uint8_t>(chunk[0]) != chunk_version) return std::nullopt;
  return chunk_header{static_cast<uint32_t>(keys::get_be(chunk, 4, 4)), static_cast<int64_t>(keys::get_be(chunk, 8, 8))};
}

std::optional<std::vector<record_view>> decode_chunk(std::string_view chunk) {
  const auto header = read_chunk_header(chunk);
  if (!header) return std::nullopt;
  std::vector<record_view> out;
  out.reserve(header->count);
  size_t at = chunk_header_size;
  for (uint32_t i = 0; i < header->count; ++i) {
    if (chunk.size() - at < chunk_record_overhead) return std::nullopt;
    const size_t key_len = keys::get_be(chunk, at, 2);
    const size_t data_len = keys::get_be(chunk, at + 2, 4);
    at += chunk_record_overhead;
    if (chunk.size() - at < key_len + data_len) return std::nullopt;
    out.push_back({chunk.substr(at, key_len), chunk.substr(at + key_len, data_len)});
    at += key_len + data_len;
  }
  if (at != chunk.size()) return std::nullopt;
  return out;
}

}  // namespace eddy::storage
