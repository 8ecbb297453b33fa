#pragma once
// application: builds the services in dependency order (storage, registry, pipeline, listener), runs
// them on an io_context with one thread per core, and tears them down in reverse on SIGTERM/SIGINT.
#include "eddy/config/config.h"

namespace eddy::app {

// Runs until a signal; returns the process exit code.
int run(const config::settings& settings);

}  // namespace eddy::app
