#include <cstdio>

#include "application.h"
#include "eddy/base/log.h"
#include "eddy/config/config.h"

int main(int argc, char** argv) {
  const auto parsed = eddy::config::parse(argc, argv);
  if (parsed.exit_now) {
    std::fputs(parsed.text.c_str(), parsed.exit_code == 0 ? stdout : stderr);
    return parsed.exit_code;
  }
  if (!eddy::log::set_level(parsed.values.log_level)) {
    std::fprintf(stderr, "eddy: flag --log-level expects trace, debug, info, warn, error or off, got '%s'\n",
                 parsed.values.log_level.c_str());
    return 2;
  }
  return eddy::app::run(parsed.values);
}
