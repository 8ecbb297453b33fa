// A packed record list must encode to exactly the bytes the same records give as ordinary documents,
// in JSON and in both CBOR timestamp styles: clients cannot tell which one the server built.
#include <gtest/gtest.h>

#include "eddy/codec/cbor_codec.h"
#include "eddy/codec/json_codec.h"
#include "eddy/codec/record_list.h"

namespace eddy::codec {
namespace {

struct sample {
  std::string seq;
  int64_t arrival;
  std::string key;
  std::string data;
};

const std::vector<sample> kSamples = {
    {"49654108720541939812371849203751839474327582810418020354", 1764183600123, "k", "hello"},
    {"49654108720541939812371849203751839474327582810418020355", 1764183600000, "quote\" back\\ \x01 é", ""},
    {"49654108720541939812371849203751839474327582810418020356", 5, std::string(300, 'p'), std::string(70000, 'x')},
};

document as_documents(const std::vector<sample>& samples, bool kms) {
  document out = document::array();
  for (const auto& s : samples) {
    document r = document::object();
    r["SequenceNumber"] = s.seq;
    r["ApproximateArrivalTimestamp"] = make_timestamp(s.arrival);
    r["Data"] = make_blob(s.data);
    r["PartitionKey"] = s.key;
    if (kms) r["EncryptionType"] = "KMS";
    out.push_back(std::move(r));
  }
  return out;
}

document as_list(const std::vector<sample>& samples, bool kms) {
  record_list_builder b(kms, 0);
  for (const auto& s : samples) b.add(s.seq, s.arrival, s.key, s.data);
  return std::move(b).finish();
}

TEST(RecordList, EncodesLikeTheDocumentsItStandsFor) {
  for (bool kms : {false, true}) {
    for (size_t n : {size_t{0}, size_t{1}, kSamples.size()}) {
      const std::vector<sample> some(kSamples.begin(), kSamples.begin() + static_cast<long>(n));
      const document reference = {{"Records", as_documents(some, kms)}, {"MillisBehindLatest", 0}};
      const document packed = {{"Records", as_list(some, kms)}, {"MillisBehindLatest", 0}};
      EXPECT_EQ(json::encode(packed), json::encode(reference)) << kms << n;
      EXPECT_EQ(cbor::encode(packed), cbor::encode(reference)) << kms << n;
      EXPECT_EQ(cbor::encode(packed, cbor::timestamp_style::epoch_seconds),
                cbor::encode(reference, cbor::timestamp_style::epoch_seconds))
          << kms << n;
    }
  }
}

TEST(RecordList, ReadsBackWhatWasAdded) {
  const document d = as_list(kSamples, true);
  ASSERT_TRUE(is_record_list(d));
  EXPECT_FALSE(is_record_list(make_blob(std::string_view("plain"))));
  EXPECT_FALSE(is_timestamp(d));
  const auto view = read_record_list(d);
  EXPECT_TRUE(view.kms);
  ASSERT_EQ(view.records.size(), kSamples.size());
  for (size_t i = 0; i < kSamples.size(); ++i) {
    EXPECT_EQ(view.records[i].sequence_number, kSamples[i].seq);
    EXPECT_EQ(view.records[i].arrival_ms, kSamples[i].arrival);
    EXPECT_EQ(view.records[i].partition_key, kSamples[i].key);
    EXPECT_EQ(view.records[i].data, kSamples[i].data);
  }
}

}  // namespace
}  // namespace eddy::codec
