#include "prepared_body.h"

#include "kinesis_client.h"
#include "sigv4_signer.h"

#include <random>

namespace eddy::bench {
namespace {

using codec::document;

prepared_body finish(const kinesis_client& api, const document& d, int64_t records, int64_t payload_bytes) {
  prepared_body b;
  b.bytes = api.encode(d);
  b.sha256 = sha256_hex(b.bytes);
  b.records = records;
  b.payload_bytes = payload_bytes;
  return b;
}

}  // namespace

std::vector<prepared_body> make_put_bodies(const kinesis_client& api, const put_spec& spec, int count,
                                           int last_batch) {
  std::mt19937_64 rng(42);
  std::string data(static_cast<size_t>(spec.payload), '\0');
  std::vector<prepared_body> out;
  out.reserve(static_cast<size_t>(count));
  int64_t record = 0;
  for (int b = 0; b < count; ++b) {
    const int n = (b == count - 1 && last_batch > 0) ? last_batch : spec.batch;
    auto next_record = [&] {
      for (auto& c : data) c = static_cast<char>(rng());
      return document{{"PartitionKey", "pk-" + std::to_string(record++ % spec.keys)}, {"Data", codec::make_blob(data)}};
    };
    if (spec.single) {
      document d = next_record();
      d["StreamName"] = spec.stream;
      out.push_back(finish(api, d, 1, spec.payload));
      continue;
    }
    document records = document::array();
    for (int i = 0; i < n; ++i) records.push_back(next_record());
    out.push_back(finish(api, document{{"StreamName", spec.stream}, {"Records", std::move(records)}}, n,
                         int64_t{n} * spec.payload));
  }
  return out;
}

prepared_body make_tagged_put(const kinesis_client& api, const std::string& stream, const std::string& tag,
                              int payload) {
  std::string data = tag;
  if (static_cast<int>(data.size()) < payload) data.resize(static_cast<size_t>(payload), '.');
  return finish(api, document{{"StreamName", stream}, {"PartitionKey", "pk"}, {"Data", codec::make_blob(data)}}, 1,
                static_cast<int64_t>(data.size()));
}

}  // namespace eddy::bench
