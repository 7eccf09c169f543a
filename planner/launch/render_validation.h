#pragma once
// The validation part of the bash run script (`planner script`): each route's prompts through its
// OpenAI-compatible endpoint (validation.prompts, else three fixed ones), latency, tokens/s and
// pass/fail per prompt, peak memory per device, and planner-run.json
// (schema/planner-run.schema.json), which `planner plan --measured` reads back. render_script.cpp
// calls these at its hook points; every config value reaches the script through shell_quote.
#include <cstddef>
#include <string>

#include "launch/plan.h"

namespace planner {

// Variables (the prompts file, budget, each route's identity as JSON) and the shell functions:
// validate, sample_memory, sample_serving, record_action, route_of_pid, write_report. After the
// common helpers (it needs log, die, mem_used and LOG_DIR); it also sets the EXIT trap to
// `cleanup; write_report`.
std::string validation_script_part(const std::string& file, const LaunchPlan& plan);
// The line serve_N runs once route `i`'s server is healthy (its PID in $SERVER_PID).
std::string validation_call(const LaunchPlan& plan, std::size_t i);
// Main's lines: after preflight (the prompts file is readable) and at the end (exit 1 when a
// prompt failed, after the report is written).
inline constexpr const char* kValidationPreflight = "validation_preflight\n";
inline constexpr const char* kValidationEpilogue =
    "[ \"$VALIDATION_FAILED\" -eq 0 ] || die \"validation: $VALIDATION_FAILED prompts failed; see $REPORT_FILE\"\n";

}  // namespace planner
