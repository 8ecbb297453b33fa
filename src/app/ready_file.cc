#include "ready_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <unistd.h>

namespace eddy::app {

result<void, std::string> write_ready_file(const std::string& path, const std::vector<std::string>& endpoints) {
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  std::FILE* f = std::fopen(tmp.c_str(), "w");
  if (!f) return fail("cannot write --ready-file " + tmp + ": " + std::strerror(errno));
  bool ok = true;
  for (const auto& e : endpoints) ok = ok && std::fprintf(f, "%s\n", e.c_str()) > 0;
  ok = (std::fclose(f) == 0) && ok;
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    std::remove(tmp.c_str());
    return fail("cannot write --ready-file " + path + ": " + why);
  }
  return {};
}

}  // namespace eddy::app
