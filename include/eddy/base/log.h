#pragma once
// Per-module loggers that all write to stderr (stdout carries only the machine-readable address line).
//
// Two line formats:
//   text  2026-11-26T19:40:01.123 info  [app] ready in 4 ms
//   json  {"time":"2026-11-26T19:40:01.123Z","level":"info","logger":"app","msg":"ready in 4 ms"}
// JSON lines are for log shippers: one object per line, the message escaped, times in UTC.
#include <spdlog/spdlog.h>

#include <memory>
#include <string>

namespace eddy::log {

enum class format { text, json };

// Whether `level` names a level ("trace", "debug", "info", "warn", "error", "critical", "off").
bool valid_level(const std::string& level);

// Sets the level and line format of every logger, those made already and those made later. An unknown
// level leaves the level as it was.
void configure(const std::string& level, format f);

// The named logger ("frontend", "core", ...), created on first use.
std::shared_ptr<spdlog::logger> get(const std::string& module);

}  // namespace eddy::log
