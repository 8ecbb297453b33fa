#include <string_view>
#include <unordered_map>

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

}  // namespace eddy::api
