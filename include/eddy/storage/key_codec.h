#pragma once
// Key layout of the metadata column family ("meta"). Keys are byte strings compared bytewise, so a
// prefix scan returns one account's and region's streams in name order.
//
//   stream record
//   +----------+--------------+-----+-----------------+-----+-------------------+
//   | "stream/"| account (12) | "/" | region (1..50)  | "/" | stream name       |
//   +----------+--------------+-----+-----------------+-----+-------------------+
//   value: the stream's metadata as a JSON object (see core/stream_codec.cc); version field "v".
//
// Account ids are exactly 12 digits and regions never contain '/', so the layout is unambiguous.
#include <string>
#include <string_view>

namespace eddy::storage::keys {

inline std::string stream_prefix() { return "stream/"; }

inline std::string stream(std::string_view account, std::string_view region, std::string_view name) {
  std::string k = stream_prefix();
  k.append(account).append("/").append(region).append("/").append(name);
  return k;
}

}  // namespace eddy::storage::keys
