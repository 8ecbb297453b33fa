#pragma once
// Per-module loggers that all write to stderr (stdout carries only the machine-readable address line).
#include <spdlog/spdlog.h>

#include <memory>
#include <string>

namespace eddy::log {

// Sets the level of every logger ("trace", "debug", "info", "warn", "error", "off"); false if unknown.
bool set_level(const std::string& level);

// The named logger ("frontend", "core", ...), created on first use.
std::shared_ptr<spdlog::logger> get(const std::string& module);

}  // namespace eddy::log
