#include "select/report.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "core/json_text.h"
#include "core/text.h"

namespace planner {

namespace {

std::string machine_line(const SelectContext& ctx) {
  const Machine& m = ctx.machine;
  return fmt::format("{:g} GB {}{}", m.ram_gib, shown_value(m.architecture),
                     m.chip.empty() ? "" : " (" + shown_value(m.chip) + ")");
}

std::string policy_line(const TaskSelection& s) {
  if (!s.policy) return "no policy";
  return fmt::format("{} recommended, below {} bits is {}", s.policy->recommended, s.policy->min_bits,
                     s.policy->error_below ? "an error" : "a warning");
}

}  // namespace

void render_route_text(std::ostream& out, const SelectContext& ctx, const TaskSelection& s) {
  const Budget& b = ctx.budget;
  out << fmt::format("workload '{}' (task {}: {}) on {}\n", shown_value(s.route), shown_value(s.task), policy_line(s),
                     machine_line(ctx));
  out << fmt::format("budget: {} for models ({:g}% OS reserve), {} of it for KV caches ({:g}%)", gib(b.model_budget_bytes),
                     ctx.machine.os_reserve_percent, gib(b.kv_reserve_bytes), ctx.machine.kv_reserve_percent);
  if (b.gpu_limit_bytes)
    out << fmt::format(", GPU limit {} ({})", gib(*b.gpu_limit_bytes), shown_value(b.gpu_limit_basis));
  out << fmt::format("; context {} tokens, KV cache {}\n\n", ctx.options.context, shown_value(ctx.options.kv_type));
  if (const Candidate* c = s.chosen()) {
    const MemoryEstimate& m = *c->memory;
    out << fmt::format("chosen: {} ({}), {}, {} tokens: {} weights + {} KV + {} overhead = {}; min_ram_gb {}\n",
                       c->model->id, billions(c->model->params_total),
                       c->format == Format::mlx ? c->quant.label : "GGUF " + c->quant.label, c->context,
                       gib(m.weights_bytes), gib(m.kv_bytes + m.state_bytes), gib(m.overhead_bytes), gib(m.total()),
                       c->min_ram_gb);
    out << fmt::format("        {}\n", c->artifact.empty() ? "no published conversion at this quantization: convert it"
                                                           : "published: " + c->artifact);
    for (const auto& r : c->reasons) out << fmt::format("        note: {}\n", r);
  } else {
    out << "chosen: none: no catalog model fits this workload on this machine\n";
  }
  out << "\ncandidates, best first:\n";
  for (const auto& c : s.candidates) {
    std::string size = c.memory ? gib(c.memory->total()) : "-";
    out << fmt::format("  {:<4} {:<34} {:>7}  {:<4} {:<22} {:>6}  {:>10}\n", c.viable ? "fits" : "no", c.model->id,
                       billions(c.model->params_total), c.memory ? std::string(to_string(c.format)) : "-",
                       c.memory ? c.quant.label : "-", c.memory ? std::to_string(c.context) : "-", size);
    if (!c.viable)
      for (const auto& r : c.reasons) out << fmt::format("       {}\n", r);
  }
}

void render_route_json(std::ostream& out, const SelectContext& ctx, const TaskSelection& s) {
  using Json = nlohmann::ordered_json;
  auto bytes = [](double v) { return Json(static_cast<std::int64_t>(std::llround(v))); };
  const Budget& b = ctx.budget;
  Json j;
  j["version"] = 1;
  j["workload"] = s.route;
  j["task"] = s.task;
  j["policy"] = s.policy ? Json{{"recommended", s.policy->recommended}, {"min_bits", s.policy->min_bits},
                                {"below", s.policy->error_below ? "error" : "warn"}}
                         : Json(nullptr);
  j["machine"] = {{"ram_bytes", bytes(b.ram_bytes)},
                  {"architecture", ctx.machine.architecture},
                  {"chip", ctx.machine.chip.empty() ? Json(nullptr) : Json(ctx.machine.chip)},
                  {"model_budget_bytes", bytes(b.model_budget_bytes)},
                  {"kv_reserve_bytes", bytes(b.kv_reserve_bytes)},
                  {"gpu_limit_bytes", b.gpu_limit_bytes ? bytes(*b.gpu_limit_bytes) : Json(nullptr)},
                  {"gpu_limit_basis", b.gpu_limit_bytes ? Json(b.gpu_limit_basis) : Json(nullptr)}};
  j["context"] = ctx.options.context;
  j["kv_cache_type"] = ctx.options.kv_type;
  const Candidate* chosen = s.chosen();
  j["chosen"] = chosen ? Json(chosen->model->id) : Json(nullptr);
  j["candidates"] = Json::array();
  for (const auto& c : s.candidates) {
    Json k;
    k["model"] = c.model->id;
    k["hf_repo"] = c.model->hf_repo;
    k["params"] = c.model->params_total;
    k["fits"] = c.viable;
    k["format"] = c.memory ? Json(std::string(to_string(c.format))) : Json(nullptr);
    k["quantization"] = c.memory ? Json(c.quant_name) : Json(nullptr);
    k["quantization_label"] = c.memory ? Json(c.quant.label) : Json(nullptr);
    k["context"] = c.memory ? Json(c.context) : Json(nullptr);
    k["weights_bytes"] = c.memory ? bytes(c.memory->weights_bytes) : Json(nullptr);
    k["kv_cache_bytes"] = c.memory ? bytes(c.memory->kv_bytes + c.memory->state_bytes) : Json(nullptr);
    k["overhead_bytes"] = c.memory ? bytes(c.memory->overhead_bytes) : Json(nullptr);
    k["total_bytes"] = c.memory ? bytes(c.memory->total()) : Json(nullptr);
    k["min_ram_gb"] = c.viable ? Json(c.min_ram_gb) : Json(nullptr);
    k["artifact"] = c.artifact.empty() ? Json(nullptr) : Json(c.artifact);
    k[c.viable ? "notes" : "reasons"] = c.reasons;
    j["candidates"].push_back(std::move(k));
  }
  out << json_text(j) << '\n';
}

}  // namespace planner
