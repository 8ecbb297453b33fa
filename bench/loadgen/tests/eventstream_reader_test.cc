// The client-side event-stream reader: frames built by hand byte by byte (so the test does not share code
// with either side), frames from the broker's encoder (the two must agree), any split of the bytes, and
// the corruptions it must refuse.
#include "eventstream_reader.h"

#include "eddy/codec/eventstream.h"

#include <gtest/gtest.h>
#include <zlib.h>

namespace eddy::bench {
namespace {

void put32(std::string& s, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) s.push_back(static_cast<char>((v >> shift) & 0xff));
}

uint32_t crc(std::string_view s) {
  return static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(s.data()), static_cast<uInt>(s.size())));
}

// total_len | headers_len | prelude_crc | headers | payload | message_crc
std::string frame(const std::string& headers, const std::string& payload) {
  std::string f;
  put32(f, static_cast<uint32_t>(12 + headers.size() + payload.size() + 4));
  put32(f, static_cast<uint32_t>(headers.size()));
  put32(f, crc(f));
  f += headers;
  f += payload;
  put32(f, crc(f));
  return f;
}

// name_len u8 | name | 7 | u16 len | value
std::string string_header(const std::string& name, const std::string& value) {
  std::string h;
  h.push_back(static_cast<char>(name.size()));
  h += name;
  h.push_back(7);
  h.push_back(static_cast<char>(value.size() >> 8));
  h.push_back(static_cast<char>(value.size() & 0xff));
  h += value;
  return h;
}

std::string event(const std::string& payload) {
  return frame(string_header(":message-type", "event") + string_header(":event-type", "SubscribeToShardEvent") +
                   string_header(":content-type", "application/json"),
               payload);
}

TEST(EventstreamReader, ReadsAHandBuiltEvent) {
  eventstream_reader r;
  std::vector<event_frame> out;
  ASSERT_EQ(r.feed(event(R"({"Records":[]})"), out), eventstream_reader::status::ok);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].header(":message-type"), "event");
  EXPECT_EQ(out[0].header(":event-type"), "SubscribeToShardEvent");
  EXPECT_EQ(out[0].payload, R"({"Records":[]})");
  EXPECT_EQ(r.buffered(), 0u);
}

TEST(EventstreamReader, SkipsHeadersOfOtherTypes) {
  std::string h;
  h += std::string("\x04:one", 5) + '\x00';                      // bool true: no value bytes
  h += std::string("\x04:int", 5) + '\x04' + std::string(4, '\x01');  // int32
  h += std::string("\x03:ts", 4) + '\x08' + std::string(8, '\x02');   // timestamp
  h += std::string("\x05:uuid", 6) + '\x09' + std::string(16, '\x03');
  h += string_header(":message-type", "event");
  eventstream_reader r;
  std::vector<event_frame> out;
  ASSERT_EQ(r.feed(frame(h, "x"), out), eventstream_reader::status::ok);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].headers.size(), 1u);
  EXPECT_EQ(out[0].header(":message-type"), "event");
}

TEST(EventstreamReader, ReassemblesFramesFromAnySplit) {
  const std::string stream = event("{\"a\":1}") + event("") + event(std::string(5000, 'p'));
  for (size_t step : {1u, 2u, 7u, 13u, 4096u}) {
    eventstream_reader r;
    std::vector<event_frame> out;
    for (size_t i = 0; i < stream.size(); i += step) {
      ASSERT_EQ(r.feed(std::string_view(stream).substr(i, step), out), eventstream_reader::status::ok);
    }
    ASSERT_EQ(out.size(), 3u) << "step " << step;
    EXPECT_EQ(out[0].payload, "{\"a\":1}");
    EXPECT_EQ(out[1].payload, "");
    EXPECT_EQ(out[2].payload.size(), 5000u);
    EXPECT_EQ(r.buffered(), 0u);
  }
}

TEST(EventstreamReader, AgreesWithTheBrokersEncoder) {
  const std::string bytes = codec::eventstream::event_frame("SubscribeToShardEvent", R"({"Records":[{"Data":"eA=="}]})") +
                            codec::eventstream::exception_frame("ResourceInUseException", R"({"message":"m"})");
  eventstream_reader r;
  std::vector<event_frame> out;
  ASSERT_EQ(r.feed(bytes, out), eventstream_reader::status::ok);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].header(":event-type"), "SubscribeToShardEvent");
  EXPECT_EQ(out[0].payload, R"({"Records":[{"Data":"eA=="}]})");
  EXPECT_EQ(out[1].header(":message-type"), "exception");
  EXPECT_EQ(out[1].header(":exception-type"), "ResourceInUseException");
}

TEST(EventstreamReader, RefusesABadPreludeCrc) {
  std::string f = event("{}");
  f[8] ^= 1;
  eventstream_reader r;
  std::vector<event_frame> out;
  EXPECT_EQ(r.feed(f, out), eventstream_reader::status::bad_prelude_crc);
  EXPECT_TRUE(out.empty());
}

TEST(EventstreamReader, RefusesABadMessageCrc) {
  std::string f = event("{}");
  f[f.size() - 6] ^= 1;  // a payload byte
  eventstream_reader r;
  std::vector<event_frame> out;
  EXPECT_EQ(r.feed(f, out), eventstream_reader::status::bad_message_crc);
}

TEST(EventstreamReader, RefusesHeadersLongerThanTheFrame) {
  std::string f;
  put32(f, 16);
  put32(f, 100);  // headers_len beyond total_len
  put32(f, crc(f));
  put32(f, crc(f));
  event_frame e;
  EXPECT_EQ(parse_frame(f, e), eventstream_reader::status::malformed);
}

TEST(EventstreamReader, WaitsForTheRestOfAFrame) {
  const std::string f = event("{\"Records\":[]}");
  eventstream_reader r;
  std::vector<event_frame> out;
  ASSERT_EQ(r.feed(std::string_view(f).substr(0, f.size() - 1), out), eventstream_reader::status::ok);
  EXPECT_TRUE(out.empty());
  ASSERT_EQ(r.feed(std::string_view(f).substr(f.size() - 1), out), eventstream_reader::status::ok);
  EXPECT_EQ(out.size(), 1u);
}

}  // namespace
}  // namespace eddy::bench
