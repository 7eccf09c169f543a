// `planner plan --format json`: the stable interface (version 1, docs/output-formats.md "plan").
// Every size is a whole number of bytes; a figure planner cannot compute is null, never 0.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "core/json_text.h"
#include "render/plan.h"
#include "render/plan_cluster.h"
#include "render/plan_measured.h"

namespace planner {

namespace {

using Json = nlohmann::ordered_json;

Json bytes(double v) { return static_cast<std::int64_t>(std::llround(v)); }
Json bytes(const std::optional<double>& v) { return v ? bytes(*v) : Json(nullptr); }

// Headroom and fit of `total` bytes against the budget and the GPU limit. `loads`, for a route, is
// what it puts on each GPU (Analysis::gpu_loads): the headroom is then the tightest GPU's, and it
// fits when every GPU holds its share.
void add_fit(Json& j, const Budget& b, double total, const std::vector<GpuLoad>* loads = nullptr) {
  j["budget_headroom_bytes"] = bytes(b.model_budget_bytes - total);
  if (loads) {
    const GpuLoad* t = tightest(*loads);
    const bool over = std::any_of(loads->begin(), loads->end(), [](const GpuLoad& g) { return g.over(); });
    j["gpu_headroom_bytes"] = t ? bytes(*t->headroom()) : Json(nullptr);
    j["fits_budget"] = total <= b.model_budget_bytes;
    j["fits_gpu"] = t ? Json(!over) : Json(nullptr);
    return;
  }
  j["gpu_headroom_bytes"] = b.gpu_limit_bytes ? bytes(*b.gpu_limit_bytes - total) : Json(nullptr);
  j["fits_budget"] = total <= b.model_budget_bytes;
  j["fits_gpu"] = b.gpu_limit_bytes ? Json(total <= *b.gpu_limit_bytes) : Json(nullptr);
}

Json route_json(const Analysis& a, const RouteAnalysis& ra) {
  const Budget& b = a.budget;
  const ResolvedRoute& r = *ra.route;
  Json j;
  j["name"] = r.cfg->name;
  j["model"] = r.model ? Json(plan_model_name(*r.model)) : Json(nullptr);
  j["model_as_written"] = r.cfg->model.value;
  j["hf_repo"] = r.model && !r.model->hf_repo.empty() ? Json(r.model->hf_repo) : Json(nullptr);
  j["runtime"] = std::string(r.runtime->name);
  j["format"] = std::string(to_string(r.format));
  j["quantization"] = r.quant.known ? Json(r.quant.label) : Json(nullptr);
  j["quantization_as_written"] = r.quant_name;
  // Why the weight size is an estimate (an Unsloth dynamic quant), null when it is computed.
  j["weights_estimate"] = r.quant.estimate_note.empty() ? Json(nullptr) : Json(r.quant.estimate_note);
  const auto bpw = route_bits_per_weight(ra);
  j["bits_per_weight"] = bpw ? Json(*bpw) : Json(nullptr);
  j["context"] = r.context;
  j["kv_cache_type"] = r.kv_type;
  const std::optional<MemoryEstimate>& m = ra.memory;
  j["weights_bytes"] = m ? bytes(m->weights_bytes) : Json(nullptr);
  j["kv_cache_bytes"] = m ? bytes(m->kv_bytes) : Json(nullptr);
  j["state_bytes"] = m ? bytes(m->state_bytes) : Json(nullptr);
  j["overhead_bytes"] = m ? bytes(m->overhead_bytes) : Json(nullptr);
  j["total_bytes"] = m ? bytes(m->total()) : Json(nullptr);
  const Serving& sv = r.serving;
  j["serving"] = {{"parallel", sv.slots},
                  {"parallel_as_written", r.cfg->parallel ? Json(r.cfg->parallel->value) : Json(nullptr)},
                  {"kv_unified", sv.kv_unified},
                  {"gpu_layers", sv.gpu_layers == kAllLayers ? Json("all") : Json(sv.gpu_layers)},
                  {"cpu_moe_layers", sv.cpu_moe_layers == kAllLayers ? Json("all") : Json(sv.cpu_moe_layers)},
                  {"kv_cache_type_k", sv.kv_type_k},
                  {"kv_cache_type_v", sv.kv_type_v},
                  {"flash_attention", sv.flash_attention},
                  {"tensor_split", sv.tensor_split.empty() ? Json(nullptr) : Json(sv.tensor_split)},
                  {"split_mode", sv.split_mode == SplitMode::row ? "row" : sv.split_mode == SplitMode::none ? "none" : "layer"},
                  {"main_gpu", sv.main_gpu}};
  Json devices = Json::array();
  for (const auto& d : ra.devices)
    devices.push_back({{"device", d.device},
                       {"weights_bytes", bytes(d.weights_bytes)},
                       {"kv_cache_bytes", bytes(d.kv_cache_bytes)},
                       {"state_bytes", bytes(d.state_bytes)},
                       {"compute_bytes", bytes(d.compute_bytes)},
                       {"runtime_bytes", bytes(d.runtime_bytes)},
                       {"total_bytes", bytes(d.total())}});
  j["memory_by_device"] = m ? devices : Json(nullptr);
  if (m && m->vllm) {  // a vLLM route only: what it takes of each GPU (docs/output-formats.md)
    const VllmCache& v = *m->vllm;
    j["vllm"] = {{"gpu_bytes", v.gpu_bytes > 0 ? bytes(v.gpu_bytes) : Json(nullptr)},
                 {"gpu_memory_utilization", v.utilization},
                 {"requested_bytes", v.gpu_bytes > 0 ? bytes(v.requested_bytes) : Json(nullptr)},
                 {"weights_bytes_per_gpu", bytes(v.weights_bytes)},
                 {"activation_bytes_estimate", bytes(v.activation_bytes)},
                 {"non_torch_bytes_assumed", bytes(v.non_torch_bytes)},
                 {"tensor_parallel", v.tensor_parallel},
                 {"kv_heads_per_gpu", v.kv_heads_per_gpu},
                 {"block_size", v.block_size},
                 {"bytes_per_block", v.bytes_per_block},
                 {"num_blocks", v.gpu_bytes > 0 ? Json(v.num_blocks) : Json(nullptr)},
                 {"blocks_per_request", v.blocks_per_request},
                 {"kv_cache_tokens", v.gpu_bytes > 0 ? Json(v.kv_tokens) : Json(nullptr)},
                 {"max_concurrency", v.gpu_bytes > 0 ? Json(v.max_concurrency) : Json(nullptr)},
                 {"max_num_seqs", v.max_num_seqs},
                 {"max_num_batched_tokens", v.max_num_batched_tokens},
                 {"max_model_len_fits", v.gpu_bytes > 0 ? Json(v.fits) : Json(nullptr)},
                 {"max_model_len_that_fits", v.gpu_bytes > 0 ? Json(v.max_model_len_fit) : Json(nullptr)}};
  }
  if (m) {
    const std::vector<GpuLoad> loads = a.gpu_loads(ra);
    if (loads.empty()) add_fit(j, b, m->total());  // architecture cpu: the old GPU limit, which is none
    else add_fit(j, b, m->total(), &loads);
  } else {
    for (const char* k : {"budget_headroom_bytes", "gpu_headroom_bytes", "fits_budget", "fits_gpu"}) j[k] = nullptr;
  }
  if (ra.speed)
    j["tokens_per_second"] = {{"empty_context", ra.speed->tokens_per_second_empty},
                              {"full_context", ra.speed->tokens_per_second_full}};
  else
    j["tokens_per_second"] = nullptr;
  // A name found in a model store (resolve/local_model.h): which store, and the file read.
  if (r.local)
    j["local_store"] = {{"store", r.local->store},
                        {"name", r.local->name},
                        {"path", r.local->path.empty() ? Json(nullptr) : Json(r.local->path.string())},
                        {"via", r.local->via},
                        {"num_ctx", r.local->num_ctx ? Json(*r.local->num_ctx) : Json(nullptr)}};
  else
    j["local_store"] = nullptr;
  return j;
}

Json together_json(const Analysis& a) {
  Json j;
  if (!a.config.resident_routes.empty()) {
    ResidentSet s = resident_set(a);
    j["mode"] = "resident_routes";
    Json names = Json::array(), unknown = Json::array();
    for (const auto* ra : s.routes) names.push_back(ra->route->cfg->name);
    for (const auto& u : s.unknown) unknown.push_back(u);
    j["routes"] = names;
    j["unknown_routes"] = unknown;
    j["total_bytes"] = bytes(s.total_bytes);
    add_fit(j, a.budget, s.total_bytes);
    return j;
  }
  j["mode"] = "one_at_a_time";
  if (auto p = largest_fitting_pair(a)) {
    Json pair;
    pair["routes"] = {p->a->route->cfg->name, p->b->route->cfg->name};
    pair["total_bytes"] = bytes(p->total_bytes);
    add_fit(pair, a.budget, p->total_bytes);
    j["largest_fitting_pair"] = pair;
  } else {
    j["largest_fitting_pair"] = nullptr;
  }
  if (auto p = smallest_pair(a)) {
    Json pair;
    pair["routes"] = {p->a->route->cfg->name, p->b->route->cfg->name};
    pair["total_bytes"] = bytes(p->total_bytes);
    add_fit(pair, a.budget, p->total_bytes);
    j["smallest_pair"] = pair;
  } else {
    j["smallest_pair"] = nullptr;
  }
  return j;
}

}  // namespace

void render_plan_json(std::ostream& out, const std::string& path, const Analysis& a, const MeasuredComparison* measured) {
  const Budget& b = a.budget;
  Json machine;
  machine["ram_bytes"] = bytes(b.ram_bytes);
  machine["os_reserve_bytes"] = bytes(b.os_reserve_bytes);
  machine["model_budget_bytes"] = bytes(b.model_budget_bytes);
  machine["kv_reserve_bytes"] = bytes(b.kv_reserve_bytes);
  machine["gpu_limit_bytes"] = bytes(b.gpu_limit_bytes);
  machine["gpu_limit_basis"] = b.gpu_limit_bytes ? Json(b.gpu_limit_basis) : Json(nullptr);
  Json gpus = Json::array();
  for (const auto& g : b.gpus)
    gpus.push_back({{"device", g.device},
                    {"vram_bytes", bytes(g.vram_bytes)},
                    {"vram_basis", g.vram_bytes ? Json(g.basis) : Json(nullptr)}});
  machine["gpus"] = gpus;
  machine["chip"] = a.chip ? Json(a.chip->name) : Json(nullptr);
  machine["bandwidth_gbs"] = a.chip && a.chip->bandwidth_gbs > 0 ? Json(a.chip->bandwidth_gbs) : Json(nullptr);
  Json routes = Json::array();
  for (const auto& ra : a.routes) routes.push_back(route_json(a, ra));
  Json doc;
  doc["version"] = 1;
  doc["file"] = path;
  doc["machine"] = machine;
  doc["routes"] = routes;
  doc["together"] = together_json(a);
  if (a.cluster.present()) doc["cluster"] = cluster_json(a);  // docs/cluster.md
  if (measured) doc["measured"] = measured_json(*measured);
  out << json_text(doc) << '\n';
}

}  // namespace planner
