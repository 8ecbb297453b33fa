#pragma once
// The end-of-run report: one JSON object (--json FILE, and what bench/compare.sh reads) and the same
// figures as a Markdown table on stdout.
#include "workloads.h"

#include <nlohmann/json.hpp>

#include <string>

namespace eddy::bench {

nlohmann::json make_report(bench_run& run);
std::string render_table(const nlohmann::json& report);

}  // namespace eddy::bench
