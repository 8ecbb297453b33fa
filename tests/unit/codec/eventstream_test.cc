#include "eddy/codec/eventstream.h"

#include <gtest/gtest.h>

namespace eddy::codec::eventstream {
namespace {

TEST(EventStream, EmptyMessageMatchesTheReferenceBytes) {
  // The smallest message: no headers, no payload. Its CRCs are fixed by the format.
  const std::string bytes = encode({});
  ASSERT_EQ(bytes.size(), 16u);
  EXPECT_EQ(bytes, std::string("\x00\x00\x00\x10\x00\x00\x00\x00\x05\xc2\x48\xeb\x7d\x98\xc8\xff", 16));
}

TEST(EventStream, RoundTripsHeadersAndPayload) {
  const std::string frame = event_frame("SubscribeToShardEvent", R"({"Records":[]})");
  const auto d = decode(frame);
  ASSERT_EQ(d.status, decode_status::ok);
  EXPECT_EQ(d.consumed, frame.size());
  EXPECT_EQ(d.msg.header(":event-type"), "SubscribeToShardEvent");
  EXPECT_EQ(d.msg.header(":message-type"), "event");
  EXPECT_EQ(d.msg.header(":content-type"), "application/json");
  EXPECT_EQ(d.msg.payload, R"({"Records":[]})");
}

TEST(EventStream, DecodesOneMessageAtATimeAndAsksForMore) {
  const std::string two = event_frame("a", "1") + exception_frame("ResourceInUseException", "{}");
  const auto first = decode(two);
  ASSERT_EQ(first.status, decode_status::ok);
  const auto second = decode(std::string_view(two).substr(first.consumed));
  ASSERT_EQ(second.status, decode_status::ok);
  EXPECT_EQ(second.msg.header(":exception-type"), "ResourceInUseException");
  EXPECT_EQ(decode(std::string_view(two).substr(0, 11)).status, decode_status::need_more);
  EXPECT_EQ(decode(std::string_view(two).substr(0, first.consumed - 1)).status, decode_status::need_more);
}

TEST(EventStream, DetectsCorruptionInEitherCrc) {
  std::string frame = event_frame("SubscribeToShardEvent", "payload");
  std::string bad_prelude = frame;
  bad_prelude[3] ^= 1;  // total length changed: prelude CRC no longer matches
  EXPECT_EQ(decode(bad_prelude).status, decode_status::bad_prelude_crc);
  std::string bad_payload = frame;
  bad_payload[frame.size() - 6] ^= 0x20;
  EXPECT_EQ(decode(bad_payload).status, decode_status::bad_message_crc);
}

}  // namespace
}  // namespace eddy::codec::eventstream
