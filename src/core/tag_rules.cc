#include "eddy/core/tag_rules.h"

#include <cctype>
#include <cstdint>
#include <optional>

namespace eddy::core {
namespace {

// Code points of Unicode letters, digits (\p{L}, \p{N}) and spaces (\p{Z}) outside ASCII, by block.
// Coarse on purpose: whole alphabetic blocks count, symbol and punctuation blocks do not.
struct range {
  char32_t first;
  char32_t last;
};
constexpr range kLettersDigitsSpaces[] = {
    {0x00A0, 0x00A0}, {0x00AA, 0x00AA}, {0x00B2, 0x00B3}, {0x00B5, 0x00B5},   {0x00B9, 0x00BA},
    {0x00BC, 0x00BE}, {0x00C0, 0x00D6}, {0x00D8, 0x00F6}, {0x00F8, 0x02C1},   {0x0370, 0x1FFF},
    {0x2000, 0x200A},  // spaces
    {0x2028, 0x2029}, {0x202F, 0x202F}, {0x205F, 0x205F}, {0x2070, 0x209C},   {0x2150, 0x2189},
    {0x2460, 0x249B}, {0x2C00, 0x2DFF}, {0x3000, 0x3000}, {0x3005, 0x3007},   {0x3021, 0x3029},
    {0x3031, 0x3035}, {0x3038, 0x303C}, {0x3041, 0x309F}, {0x30A1, 0x30FA},   {0x30FC, 0x31FF},
    {0x3400, 0x4DBF}, {0x4E00, 0xD7FF}, {0xF900, 0xFDFF}, {0xFE70, 0xFEFC},   {0xFF10, 0xFF19},
    {0xFF21, 0xFF3A}, {0xFF41, 0xFF5A}, {0xFF66, 0xFFDC}, {0x10000, 0x1EFFF}, {0x20000, 0x3FFFF},
};

bool allowed_ascii(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case ' ':
    case '_':
    case '.':
    case '/':
    case '=':
    case '+':
    case '-':
    case '@':
    case ':':
      return true;
    default:
      return false;
  }
}

bool allowed_code_point(char32_t cp) {
  for (const auto& r : kLettersDigitsSpaces) {
    if (cp >= r.first && cp <= r.last) return true;
  }
  return false;
}

// The next code point of UTF-8 `s` at `i`, advancing `i`; nullopt on a malformed sequence.
std::optional<char32_t> next_code_point(const std::string& s, size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  if (b0 < 0xC0 || b0 >= 0xF8) return std::nullopt;
  const size_t extra = b0 >= 0xF0 ? 3 : b0 >= 0xE0 ? 2 : 1;
  if (i + extra >= s.size()) return std::nullopt;
  char32_t cp = b0 & (0x3F >> extra);
  for (size_t k = 1; k <= extra; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (b & 0x3F);
  }
  i += 1 + extra;
  return cp;
}

bool has_reserved_prefix(const std::string& key) {
  if (key.size() < 4) return false;
  std::string head = key.substr(0, 4);
  for (auto& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return head == "aws:";
}

// AWS reports a '%' apart from other characters (it was once allowed), with its own message.
error percent_error(const char* action, const tag_owner& owner) {
  return {errc::invalid_argument, std::string("Failed to ") + action + " " + owner.description +
                                      " because some tags contained illegal characters. The "
                                      "allowed characters are Unicode letters, "
                                      "white-spaces, '_',',','/','=','+','-','@',':'."};
}

error charset_error() {
  return {errc::invalid_argument,
          "Some tags contain invalid characters. Valid characters: Unicode letters, digits, white "
          "space, "
          "_ . / = + - % @ :."};
}

}  // namespace

bool valid_tag_text(const std::string& text) {
  for (size_t i = 0; i < text.size();) {
    const auto cp = next_code_point(text, i);
    if (!cp) return false;
    if (*cp < 0x80 ? !allowed_ascii(static_cast<char>(*cp)) : !allowed_code_point(*cp))
      return false;
  }
  return true;
}

tag_owner stream_tag_owner(const std::string& stream, const std::string& account) {
  return {"stream", "stream " + stream + " under account " + account};
}

tag_owner consumer_tag_owner(const std::string& consumer, const std::string& stream,
                             const std::string& account) {
  return {"consumer",
          "consumer " + consumer + " of stream " + stream + " under account " + account};
}

result<void> check_tags_to_add(const tag_map& tags, const tag_owner& owner) {
  const auto without_percent = [](std::string t) {
    std::erase(t, '%');
    return t;
  };
  bool percent = false;
  for (const auto& [k, v] : tags) {
    if (!valid_tag_text(without_percent(k)) || !valid_tag_text(without_percent(v)))
      return fail(charset_error());
    percent = percent || k.find('%') != std::string::npos || v.find('%') != std::string::npos;
  }
  if (percent) return fail(percent_error("add tags to", owner));
  for (const auto& [k, v] : tags) {
    if (has_reserved_prefix(k)) {
      return make_error(errc::invalid_argument,
                        "Failed to add tags to " + owner.description +
                            " because tag keys may not start with the reserved prefix "
                            "'aws:'. Invalid key: " +
                            k + ".");
    }
  }
  return {};
}

result<void> check_tag_keys_to_remove(const std::vector<std::string>& keys,
                                      const tag_owner& owner) {
  bool percent = false;
  for (const auto& k : keys) {
    std::string stripped = k;
    std::erase(stripped, '%');
    if (!valid_tag_text(stripped)) return fail(charset_error());
    percent = percent || stripped.size() != k.size();
  }
  if (percent) return fail(percent_error("remove tags from", owner));
  return {};
}

result<void> add_tags(tag_map& current, const tag_map& tags, const tag_owner& owner) {
  if (auto r = check_tags_to_add(tags, owner); !r) return r;
  size_t total = current.size();
  for (const auto& [k, v] : tags) total += current.contains(k) ? 0 : 1;
  if (total > max_tags_per_resource) {
    // AWS's own words: the limit has been 50 since 2016, the message still says 10.
    return make_error(errc::invalid_argument,
                      "Failed to add tags to " + owner.description + " because a given " +
                          owner.kind + " cannot have more than 10 tags associated with it.");
  }
  for (const auto& [k, v] : tags) current[k] = v;
  return {};
}

void remove_tags(tag_map& current, const std::vector<std::string>& keys) {
  for (const auto& k : keys) current.erase(k);
}

}  // namespace eddy::core
