#pragma once
// Stage 5 (after estimate): picking models. For a task and a machine, every catalog model is
// tried in the format, quantization and context the task and machine allow; each either fits
// with the figures `planner check` would compute (no error, no warning) or is rejected with the
// reasons. The seed article's resolveModel(), with memory computed instead of declared.
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "estimate/budget.h"
#include "estimate/memory.h"
#include "resolve/catalog.h"
#include "resolve/hardware.h"
#include "resolve/quant.h"
#include "select/machine.h"

namespace planner {

struct SelectOptions {
  long long context = 8192;              // the seed's max_context_tokens
  std::optional<Format> format;          // forced format (a cross-platform team's GGUF); default: by machine
  std::string kv_type = "f16";
};

struct Candidate {
  const ModelInfo* model = nullptr;
  Format format = Format::gguf;
  std::string quant_name;  // as written in the config: a llama-quantize name (MLX routes map it)
  WeightQuant quant;
  long long context = 0;
  std::optional<MemoryEstimate> memory;  // at the quantization tried last
  bool viable = false;
  bool specialist = false;               // a coding model on a code route
  std::vector<std::string> reasons;      // rejected: why; viable: notes (context lowered, ...)
  std::string artifact;                  // a published conversion in `format`, when the catalog has one
  long long min_ram_gb = 0;              // what LI016 computes, rounded up
};

struct TaskSelection {
  std::string route;   // the route name (the task as the user wrote it)
  std::string task;    // the policy's task kind (code, reasoning, quick_qa, creative, general)
  const TaskPolicy* policy = nullptr;
  std::vector<Candidate> candidates;  // viable first, best first; then the rejected ones
  const Candidate* chosen() const { return !candidates.empty() && candidates.front().viable ? &candidates.front() : nullptr; }
};

struct SelectContext {
  Machine machine;
  Budget budget;
  SelectOptions options;
  const Catalog* catalog = &Catalog::builtin();
  const QuantTables* quant = &QuantTables::builtin();
  const HardwareTables* hardware = &HardwareTables::builtin();
};

// llama-quantize recipes one step apart, best first: the steps a selection walks down (MLX routes
// map each to its bits), and the watchdog's downgrade_model too (launch/ladder.cpp).
std::span<const char* const> quant_steps();

SelectContext make_select_context(const Machine& m, const SelectOptions& o);
// A cluster's: the first host's machine (the head: the config's top-level hardware), the budget
// of all hosts added up (select/cluster_context.cpp). Ranks candidates; check decides per host.
SelectContext make_cluster_select_context(const std::vector<Machine>& hosts, const SelectOptions& o);

// The policy task of a workload or route name (code, coding -> code; analysis -> reasoning; ...),
// the same mapping `check` applies to route names. "" when the name is no known task.
std::string workload_task(std::string_view workload);
// The workload names workload_task knows, in the order `route --help` lists them.
const std::vector<std::string>& workload_names();

TaskSelection select_for_task(const SelectContext& ctx, const std::string& route);

// Routes that must be resident together: while their chosen candidates do not fit together,
// the largest one steps down to its next viable candidate. False when no combination was found.
bool fit_resident(const SelectContext& ctx, std::vector<TaskSelection>& selections,
                  const std::vector<std::string>& resident, std::string& why);

}  // namespace planner
