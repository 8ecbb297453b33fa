#pragma once
// strong<Tag, Rep>: a named wrapper so that a shard index is never passed where a record position is
// expected. Comparison and hashing come from the representation.
#include <compare>
#include <functional>
#include <utility>

namespace eddy {

template <class Tag, class Rep>
class strong {
 public:
  using rep = Rep;
  constexpr strong() = default;
  constexpr explicit strong(Rep v) : v_(std::move(v)) {}
  constexpr const Rep& get() const { return v_; }
  friend constexpr auto operator<=>(const strong&, const strong&) = default;

 private:
  Rep v_{};
};

}  // namespace eddy

template <class Tag, class Rep>
struct std::hash<eddy::strong<Tag, Rep>> {
  size_t operator()(const eddy::strong<Tag, Rep>& s) const { return std::hash<Rep>{}(s.get()); }
};
