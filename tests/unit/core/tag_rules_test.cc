#include "eddy/core/tag_rules.h"

#include <gtest/gtest.h>

namespace eddy::core {
namespace {

const tag_owner kStream = stream_tag_owner("s", "000000000000");

TEST(TagRules, AcceptsLettersDigitsSpacesAndTheListedSymbols) {
  EXPECT_TRUE(valid_tag_text("Team_1 .:/=+-@"));
  EXPECT_TRUE(valid_tag_text(""));
  EXPECT_TRUE(valid_tag_text("équipe Ωmega Мир 東京 한국"));
  EXPECT_TRUE(valid_tag_text("no\u00a0break"));       // \p{Z}
  EXPECT_TRUE(valid_tag_text("\uff21\uff42\uff43"));  // fullwidth letters
}

TEST(TagRules, RejectsPunctuationSymbolsAndControlCharacters) {
  for (const char* bad : {"a,b", "a#b", "a*b", "a!b", "a\tb", "a\nb", "a\"b", "a&b", "\u00d7",
                          "a\u2013b", "\U0001F600", "\u3001"}) {
    EXPECT_FALSE(valid_tag_text(bad)) << bad;
  }
}

TEST(TagRules, RejectsMalformedUtf8) {
  EXPECT_FALSE(valid_tag_text(std::string("a\xc3", 2)));
  EXPECT_FALSE(valid_tag_text(std::string("\xff", 1)));
  EXPECT_FALSE(valid_tag_text(std::string("\xe6\x9d", 2)));
}

TEST(TagRules, InvalidCharactersGiveAwsGenericMessage) {
  tag_map current;
  auto r = add_tags(current, {{"ok", "a#b"}}, kStream);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, errc::invalid_argument);
  EXPECT_EQ(r.error().message,
            "Some tags contain invalid characters. Valid characters: Unicode letters, digits, "
            "white space, "
            "_ . / = + - % @ :.");
  EXPECT_TRUE(current.empty());
}

TEST(TagRules, PercentHasItsOwnMessageNamingTheResource) {
  tag_map current;
  auto r = add_tags(current, {{"100%", "v"}}, kStream);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "Failed to add tags to stream s under account 000000000000 because some tags contained "
            "illegal "
            "characters. The allowed characters are Unicode letters, white-spaces, "
            "'_',',','/','=','+','-',"
            "'@',':'.");
  auto removal = check_tag_keys_to_remove({"a%"}, consumer_tag_owner("c", "s", "000000000000"));
  ASSERT_FALSE(removal.ok());
  EXPECT_EQ(removal.error().message.rfind(
                "Failed to remove tags from consumer c of stream s under account "
                "000000000000 because",
                0),
            0u);
}

TEST(TagRules, ReservedPrefixIsRejectedWhateverItsCase) {
  for (const char* key : {"aws:x", "AWS:x", "Aws:created"}) {
    tag_map current;
    auto r = add_tags(current, {{key, "v"}}, kStream);
    ASSERT_FALSE(r.ok()) << key;
    EXPECT_EQ(r.error().code, errc::invalid_argument);
    EXPECT_NE(r.error().message.find("'aws:'"), std::string::npos);
  }
  tag_map current;
  EXPECT_TRUE(add_tags(current, {{"awsx", "v"}, {"my:aws:x", "aws:y"}}, kStream).ok());
}

TEST(TagRules, FiftyTagsInAllAndOverwritesDoNotCount) {
  tag_map current;
  tag_map batch;
  for (int i = 0; i < 50; ++i) batch["k" + std::to_string(i)] = "v";
  ASSERT_TRUE(add_tags(current, batch, kStream).ok());
  EXPECT_EQ(current.size(), 50u);
  // Overwriting existing keys keeps the count at 50.
  ASSERT_TRUE(add_tags(current, {{"k0", "new"}, {"k49", "new"}}, kStream).ok());
  EXPECT_EQ(current["k0"], "new");
  auto r = add_tags(current, {{"k0", "again"}, {"k50", "v"}}, kStream);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, errc::invalid_argument);
  EXPECT_EQ(r.error().message,
            "Failed to add tags to stream s under account 000000000000 because a given stream "
            "cannot have more "
            "than 10 tags associated with it.");
  EXPECT_EQ(current["k0"], "new") << "a failed add changes nothing";
  EXPECT_FALSE(current.contains("k50"));
}

TEST(TagRules, RemovingIgnoresMissingKeys) {
  tag_map current{{"a", "1"}, {"b", "2"}};
  ASSERT_TRUE(check_tag_keys_to_remove({"a", "zz"}, kStream).ok());
  remove_tags(current, {"a", "zz"});
  EXPECT_EQ(current, (tag_map{{"b", "2"}}));
}

}  // namespace
}  // namespace eddy::core
