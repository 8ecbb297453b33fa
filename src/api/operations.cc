#include <string_view>
#include <unordered_map>
#include <vector>

#include "operation.h"

namespace eddy::api {

namespace ops {
#define EDDY_OPERATION(wire, symbol) extern const operation symbol;
#include "operation_list.h"
#undef EDDY_OPERATION
}  // namespace ops

const operation* find_operation(std::string_view name) {
  static const std::unordered_map<std::string_view, const operation*> table = [] {
    std::unordered_map<std::string_view, const operation*> t;
#define EDDY_OPERATION(wire, symbol) t.emplace(#wire, &ops::symbol);
#include "operation_list.h"
#undef EDDY_OPERATION
    return t;
  }();
  const auto it = table.find(name);
  return it == table.end() ? nullptr : it->second;
}

namespace {

constexpr const operation* kAll[] = {
#define EDDY_OPERATION(wire, symbol) &ops::symbol,
#include "operation_list.h"
#undef EDDY_OPERATION
};

}  // namespace

std::span<const std::string_view> operation_names() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> n;
    for (const operation* op : kAll) n.push_back(op->name);
    return n;
  }();
  return names;
}

size_t operation_index(const operation& op) {
  // Pointer-keyed and built once: a request pays one hash of an address, never a name comparison.
  static const std::unordered_map<const operation*, size_t> index = [] {
    std::unordered_map<const operation*, size_t> m;
    for (size_t i = 0; i < std::size(kAll); ++i) m.emplace(kAll[i], i);
    return m;
  }();
  return index.at(&op);
}

}  // namespace eddy::api
