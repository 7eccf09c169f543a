#include "select/select.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/text.h"
#include "estimate/devices.h"
#include "model/size_classes.h"
#include "resolve/routes.h"

namespace planner {

namespace {

// llama-quantize recipes one step apart, best first; a task starts at its policy's recommended
// recipe and steps down while the recipe's bit class stays at or above the policy's minimum.
constexpr const char* kLadder[] = {"Q8_0", "Q6_K", "Q5_K_M", "Q4_K_M", "Q3_K_M", "Q2_K"};

bool is_coder(const ModelInfo& m) {
  // The catalog has no specialization field; its coding models all say so in their name.
  return to_lower(m.id).find("coder") != std::string::npos;
}

// LI016's figure: the RAM a route needs so that its total fits the budget (and, on Apple
// silicon with the default limit, macOS's default wired limit).
long long min_ram_for(const SelectContext& ctx, double total) {
  const double keep = 1.0 - ctx.machine.os_reserve_percent / 100.0;
  double need = total / keep / kGiB;
  if (ctx.machine.apple() && !ctx.machine.wired_limit_gib)
    for (double ram = 8; ram <= 1024; ram += 1)
      if (ctx.hardware->default_wired_limit_bytes(ram, 0, nullptr) >= total) {
        need = std::max(need, ram);
        break;
      }
  return static_cast<long long>(std::ceil(need - 1e-9));
}

struct Attempt {
  std::optional<MemoryEstimate> memory;
  long long context = 0;
  std::string failure;  // empty: fits
  std::string note;
};

// Whether `quant` of `m` fits the machine the way check's rules see it (LI012-LI014).
Attempt try_fit(const SelectContext& ctx, const ModelInfo& m, Format format, const WeightQuant& quant, long long context,
                double bpe) {
  Attempt a;
  const Budget& b = ctx.budget;
  a.context = context;
  const Runtime& runtime = default_runtime(format);  // a selection writes no runtime: the format's
  // ... nor serving keys: the runtime serves it as it does by default (llama-server: 4 slots in one pool).
  Serving serving = default_serving(runtime);
  serving.k_bytes_per_element = serving.v_bytes_per_element = bpe;
  a.memory = estimate_memory(m, quant, runtime, context, serving);
  const double fixed = a.memory->weights_bytes + a.memory->overhead_bytes + a.memory->state_bytes;
  const double room = b.model_budget_bytes - b.kv_reserve_bytes;
  if (fixed > room) {
    a.failure = fmt::format("too big: weights and overhead {} leave less than the {:g}% KV reserve ({} of the {} "
                            "model budget is for weights)",
                            gib(fixed), ctx.machine.kv_reserve_percent, gib(room), gib(b.model_budget_bytes));
    return a;
  }
  if (a.memory->kv_bytes > b.kv_reserve_bytes) {
    // A shorter context that fits the reserve, if it is still a useful one.
    long long fits = max_context_for(m, runtime, b.kv_reserve_bytes, serving, context);
    const long long floor = std::min<long long>(context, 4096);
    if (fits < floor) {
      a.failure = fmt::format("KV cache {} at {} tokens is over the {} KV reserve, and at {} tokens or fewer the "
                              "context is too short to be useful",
                              gib(a.memory->kv_bytes), context, gib(b.kv_reserve_bytes), std::max(fits, floor - 1));
      return a;
    }
    a.note = fmt::format("context lowered from {} to {} tokens: the KV cache at {} ({}) is over the {} KV reserve", context,
                         fits, context, gib(a.memory->kv_bytes), gib(b.kv_reserve_bytes));
    a.context = fits;
    a.memory = estimate_memory(m, quant, runtime, fits, serving);
  }
  const double total = a.memory->total();
  if (!b.unified_memory && b.gpus.size() >= 2) {
    // Several GPUs: each one against its own VRAM, as LI013 holds llama.cpp's layer split (each
    // GPU carries its share of the layers plus a compute buffer and a CUDA context of its own),
    // not the sum, which a split that leaves one GPU over would pass.
    GpuVram vram;
    for (const auto& g : b.gpus) vram.push_back(g.vram_bytes);
    for (const DeviceMemory& d : memory_by_device(m, quant, runtime, serving, a.context, *a.memory,
                                                  Placement::discrete_gpu, vram)) {
      const auto g = std::find_if(b.gpus.begin(), b.gpus.end(), [&](const GpuBudget& x) { return x.device == d.device; });
      if (g == b.gpus.end() || !g->vram_bytes || d.total() <= *g->vram_bytes) continue;
      a.failure = fmt::format("too big for {}: {} in use in llama.cpp's layer split, over its {} of {}", d.device,
                              gib(d.total()), gib(*g->vram_bytes), g->basis);
      return a;
    }
    return a;
  }
  if (b.gpu_limit_bytes) {
    const double limit = *b.gpu_limit_bytes;
    // mlx-lm warns above 90 % of the wired limit (LI014's warning); llama.cpp only past it.
    const double cap =
        b.unified_memory && runtime.warns_near_wired_limit ? ctx.hardware->mlx_warn_fraction() * limit : limit;
    if (total > cap) {
      a.failure = b.unified_memory
                      ? fmt::format("too big for the GPU: {} in use, over {} ({}% of the {} wired limit, {})", gib(total),
                                    gib(cap), static_cast<int>(std::lround(cap / limit * 100)), gib(limit), b.gpu_limit_basis)
                      : fmt::format("too big for VRAM: {} in use, over the {} of {}", gib(total), gib(limit), b.gpu_limit_basis);
      return a;
    }
  }
  return a;
}

int ladder_index(std::string_view name) {
  for (int i = 0; i < static_cast<int>(std::size(kLadder)); ++i)
    if (iequals(kLadder[i], name)) return i;
  return 3;  // Q4_K_M, the seed's default
}

Candidate evaluate(const SelectContext& ctx, const ModelInfo& m, const std::string& task, const TaskPolicy* policy) {
  Candidate c;
  c.model = &m;
  c.specialist = task == "code" && is_coder(m);
  auto reject = [&c](std::string why) {
    c.reasons.push_back(std::move(why));
    return c;
  };
  if (task == "quick_qa" && !lightweight_model(m.params_total))
    return reject(fmt::format("{} parameters: above the 3B-7B class that keeps quick answers fast (LI051)",
                              billions(m.params_total)));
  if (task != "code" && is_coder(m)) return reject("a coding model: offered to code routes only");

  // Format: forced, else MLX on Apple silicon where a conversion exists, GGUF otherwise.
  const bool apple = ctx.machine.apple();
  if (ctx.options.format) {
    c.format = *ctx.options.format;
  } else {
    c.format = apple && !m.mlx.empty() ? Format::mlx : Format::gguf;
  }
  const auto& artifacts = c.format == Format::mlx ? m.mlx : m.gguf;
  if (artifacts.empty()) {
    if (c.format == Format::mlx) return reject("no MLX conversion in the catalog");
    return reject(apple ? "no MLX or GGUF conversion in the catalog"
                        : "no GGUF conversion in the catalog (its MLX conversion needs Apple silicon)");
  }

  long long context = ctx.options.context;
  if (m.context_trained > 0 && context > m.context_trained) {
    c.reasons.push_back(fmt::format("context capped at the trained {} tokens (LI030)", m.context_trained));
    context = m.context_trained;
  }
  const KvCacheType* kv = ctx.quant->kv_type(ctx.options.kv_type);
  const double bpe = kv ? kv->bytes_per_element : 2.0;

  const int min_bits = policy ? policy->min_bits : 4;
  Attempt last;
  for (int i = ladder_index(policy ? policy->recommended : "Q4_K_M"); i < static_cast<int>(std::size(kLadder)); ++i) {
    WeightQuant q = resolve_quant(*ctx.quant, kLadder[i], c.format);
    if (!q.known) continue;
    if (q.bits_class < min_bits) {
      // Below the policy: say whether it would have fitted there, then stop.
      Attempt low = try_fit(ctx, m, c.format, q, context, bpe);
      if (low.failure.empty())
        c.reasons.push_back(fmt::format("fits only at {} ({}-bit), below the {} policy's {}-bit minimum (LI020)",
                                        kLadder[i], q.bits_class, task, min_bits));
      break;
    }
    last = try_fit(ctx, m, c.format, q, context, bpe);
    c.quant_name = kLadder[i];
    c.quant = q;
    c.memory = last.memory;
    c.context = last.context;
    if (last.failure.empty()) {
      c.viable = true;
      if (!last.note.empty()) c.reasons.push_back(last.note);
      // The seed's "16K+ context: drop to a 7B model" is advice, not a limit: a model that fits
      // is kept, and the note carries what LI031 will warn about.
      if (long_context_on_large_model(c.context, m.params_total))
        c.reasons.push_back(fmt::format("{} tokens of context on a model above the 7B class: {} of KV cache "
                                        "(LI031 warns; the seed's advice is a 7B model for 16K+ context)",
                                        c.context, gib(c.memory->kv_bytes)));
      break;
    }
  }
  if (!c.viable) {
    if (!last.failure.empty()) c.reasons.insert(c.reasons.begin(), fmt::format("at {}: {}", c.quant.label, last.failure));
    return c;
  }
  for (const auto& art : artifacts)
    if ((c.format == Format::mlx && art.bits == c.quant.mlx_bits) ||
        (c.format == Format::gguf && iequals(art.quant, c.quant_name))) {
      c.artifact = art.repo;  // the catalog's first listing
      break;
    }
  c.min_ram_gb = min_ram_for(ctx, c.memory->total());
  return c;
}

}  // namespace

std::span<const char* const> quant_steps() { return kLadder; }

SelectContext make_select_context(const Machine& m, const SelectOptions& o) {
  SelectContext ctx;
  ctx.machine = m;
  ctx.options = o;
  ctx.budget = machine_budget(m, *ctx.hardware);
  return ctx;
}

const std::vector<std::string>& workload_names() {
  static const std::vector<std::string> known = {"code", "coding", "coder", "programming", "reasoning", "analysis",
                                                 "math", "deep_reasoning", "quick_qa", "qa", "chat", "quick",
                                                 "creative", "writing", "creative_writing", "general", "classification"};
  return known;
}

std::string workload_task(std::string_view workload) {
  const std::string w = to_lower(workload);
  const auto& known = workload_names();
  if (std::find(known.begin(), known.end(), w) == known.end()) return "";
  RouteConfig r;
  r.name = w;
  return task_kind(r);
}

TaskSelection select_for_task(const SelectContext& ctx, const std::string& route) {
  TaskSelection s;
  s.route = route;
  s.task = workload_task(route);
  s.policy = ctx.quant->policy(s.task);
  if (!s.policy) s.policy = ctx.quant->policy("default");
  for (const auto& m : ctx.catalog->models()) s.candidates.push_back(evaluate(ctx, m, s.task, s.policy));
  // Viable first; among them coding specialists first on code routes, then MLX before GGUF (only
  // Apple silicon has MLX candidates), then the largest: the order of the seed's resolveModel()
  // ("Prioritize MLX, then highest parameter count"); then by name so the order is stable.
  std::stable_sort(s.candidates.begin(), s.candidates.end(), [](const Candidate& a, const Candidate& b) {
    if (a.viable != b.viable) return a.viable;
    if (a.specialist != b.specialist) return a.specialist;
    if (a.viable && a.format != b.format) return a.format == Format::mlx;
    if (a.model->params_total != b.model->params_total) return a.model->params_total > b.model->params_total;
    return a.model->id < b.model->id;
  });
  return s;
}

bool fit_resident(const SelectContext& ctx, std::vector<TaskSelection>& sel, const std::vector<std::string>& resident,
                  std::string& why) {
  std::vector<TaskSelection*> group;
  for (const auto& name : resident)
    for (auto& s : sel)
      if (s.route == name) group.push_back(&s);
  if (group.size() < 2) return true;
  const Budget& b = ctx.budget;
  const double limit = b.unified_memory && b.gpu_limit_bytes ? std::min(b.model_budget_bytes, *b.gpu_limit_bytes)
                                                             : b.model_budget_bytes;
  for (;;) {
    double total = 0;
    TaskSelection* biggest = nullptr;
    for (auto* s : group) {
      const Candidate* c = s->chosen();
      if (!c) {
        why = fmt::format("route '{}' has no model that fits", s->route);
        return false;
      }
      total += c->memory->total();
      if (!biggest || c->memory->total() > biggest->chosen()->memory->total()) biggest = s;
    }
    if (total <= limit) return true;
    // Step the biggest route down: its chosen candidate moves behind the viable ones that follow.
    auto& cs = biggest->candidates;
    auto next = std::find_if(cs.begin() + 1, cs.end(), [](const Candidate& c) { return !c.viable; });
    if (next == cs.begin() + 1) {
      why = fmt::format("resident routes need {} together, over {}, even with the smallest model on '{}'", gib(total),
                        gib(limit), biggest->route);
      return false;
    }
    const auto at = next - cs.begin();
    Candidate demoted = std::move(cs.front());
    demoted.viable = false;
    demoted.reasons.insert(demoted.reasons.begin(),
                           fmt::format("does not fit together with the other resident routes ({} in all, over {})",
                                       gib(total), gib(limit)));
    cs.erase(cs.begin());
    cs.insert(cs.begin() + (at - 1), std::move(demoted));
  }
}

}  // namespace planner
