// Inputs that crashed a fuzz target (tests/fuzz), kept so that the normal build sees them too. Every
// file in tests/fuzz/regressions/pipeline/ goes through the pipeline exactly as pipeline_fuzz feeds it,
// and must get an answer the target accepts; the bugs they found also have tests of their own here.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "fuzz/pipeline_input.h"

namespace eddy::api {
namespace {

using fuzz::fuzz_broker;

std::string slurp(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

TEST(FuzzRegressions, EverySavedPipelineInputGetsAnAcceptableAnswer) {
  const std::filesystem::path dir = std::filesystem::path(EDDY_SOURCE_DIR) / "tests/fuzz/regressions/pipeline";
  size_t replayed = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    SCOPED_TRACE(entry.path().filename().string());
    fuzz_broker broker;
    auto req = fuzz::pipeline_request(broker, slurp(entry.path()));
    if (!req) continue;
    const auto violation = fuzz::pipeline_violation(broker.call(std::move(*req)));
    EXPECT_FALSE(violation.has_value()) << *violation;
    ++replayed;
  }
  EXPECT_GT(replayed, 0u);
}

// A value far over its max_length met std::regex, which recursed once per character and overflowed the
// stack: one request with a 100 KB StreamName killed the broker. It is now a length error only.
TEST(FuzzRegressions, StreamNameOfAMegabyteIsALengthErrorNotAStackOverflow) {
  fuzz_broker broker;
  const std::string name(1 << 20, 'a');
  const auto r = broker.kinesis("DescribeStream", R"({"StreamName":")" + name + R"("})");
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(fuzz_broker::header(r, "x-amzn-ErrorType"), "ValidationException");
  EXPECT_NE(r.body.find("Member must have length less than or equal to 128"), std::string::npos);
  EXPECT_EQ(r.body.find("regular expression"), std::string::npos);
}

TEST(FuzzRegressions, ArnsOfAMegabyteAreLengthErrorsNotStackOverflows) {
  fuzz_broker broker;
  const std::string tail(1 << 20, 'a');
  const auto stream = broker.kinesis(
      "DescribeStreamSummary", R"({"StreamARN":"arn:aws:kinesis:us-east-1:000000000000:stream/)" + tail + R"("})");
  EXPECT_EQ(stream.status, 400u);
  EXPECT_NE(stream.body.find("Member must have length less than or equal to 2048"), std::string::npos);
  const auto consumer = broker.kinesis(
      "DescribeStreamConsumer",
      R"({"ConsumerARN":"arn:aws:kinesis:us-east-1:000000000000:stream/fuzz/consumer/)" + tail + R"(:1"})");
  EXPECT_EQ(consumer.status, 400u);
  EXPECT_NE(consumer.body.find("Member must have length less than or equal to 2048"), std::string::npos);
}

// Within max_length the pattern still applies, with AWS's message.
TEST(FuzzRegressions, PatternStillJudgesValuesWithinTheirMaxLength) {
  fuzz_broker broker;
  const auto r = broker.kinesis("DescribeStream", R"({"StreamName":"a b"})");
  EXPECT_EQ(r.status, 400u);
  EXPECT_NE(r.body.find("Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"), std::string::npos);
}

}  // namespace
}  // namespace eddy::api
