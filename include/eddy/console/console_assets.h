#pragma once
// The web console's built files (console/dist, committed to the repository), compiled into the binary so that
// one file still runs everything and the broker builds without npm. The table is generated at build time by
// cmake/embed_files.cmake: one entry per file, its path relative to dist/ with '/' separators ("index.html",
// "assets/index-<hash>.js"), and its bytes; entries are sorted by path. api/console_route serves them.
//
// Thread safety: immutable static data, readable from any thread.
#include <span>
#include <string_view>

namespace eddy::console {

struct asset {
  std::string_view path;
  std::string_view bytes;
};

std::span<const asset> assets();

}  // namespace eddy::console
