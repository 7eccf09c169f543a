// `planner plan` as text: the machine, one block per route with its bar, and which routes fit
// together. Also the helpers the JSON form shares (pairs, resident set, names).
#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <cmath>

#include "core/text.h"
#include "render/plan.h"
#include "render/plan_cluster.h"

namespace planner {

namespace {

constexpr int kBarWidth = 60;

// ANSI SGR codes per bar character: weights blue, KV cache yellow, overhead magenta, the GPU
// mark and the overflow arrow bold red.
const char* bar_color(char c) {
  switch (c) {
    case '#': return "34";
    case '=': return "33";
    case 'o': return "35";
    case '|':
    case '>': return "1;31";
    default: return "";
  }
}

// Writes `label` centred over [begin, begin + n) when it fits with a fill character each side.
void put_label(std::string& cells, int begin, int n, std::string_view label) {
  const int len = static_cast<int>(label.size());
  if (n < len + 2) return;
  const int at = begin + (n - len) / 2;
  cells.replace(static_cast<std::size_t>(at), label.size(), label);
}

// "1.66 GiB under the model budget" / "0.15 GiB over the GPU limit".
std::string over_under(double headroom, std::string_view what) {
  return fmt::format("{:.2f} GiB {} {}", std::abs(headroom) / kGiB, headroom >= 0 ? "under" : "over", what);
}

bool fits(const Analysis& a, double total) {
  if (total > a.budget.model_budget_bytes) return false;
  return !a.budget.gpu_limit_bytes || total <= *a.budget.gpu_limit_bytes;
}

std::string quant_text(const RouteAnalysis& ra) {
  const ResolvedRoute& r = *ra.route;
  std::string s = fmt::format("{} ({:.2f} bits/weight)", shown_value(r.quant.label),
                              route_bits_per_weight(ra).value_or(r.quant.bpw));
  if (r.quant.mapped) s += fmt::format(", from {} in the config", shown_value(r.quant.requested));
  return s;
}

}  // namespace

std::optional<double> route_bits_per_weight(const RouteAnalysis& ra) {
  const ResolvedRoute& r = *ra.route;
  if (ra.memory && r.model && r.model->params_total > 0) return ra.memory->weights_bytes * 8 / r.model->params_total;
  if (r.quant.known) return r.quant.bpw;
  return std::nullopt;
}

BarWidths bar_widths(double weights, double kv, double overhead, double scale_bytes,
                     std::optional<double> gpu_limit, int width) {
  BarWidths w;
  if (scale_bytes <= 0 || width <= 0) return w;
  auto col = [&](double bytes) {
    return static_cast<int>(std::clamp(std::lround(bytes / scale_bytes * width), 0L, static_cast<long>(width)));
  };
  // Cumulative boundaries, so rounding never makes the segments add up to more than the bar.
  int end_w = col(weights), end_kv = col(weights + kv), end_o = col(weights + kv + overhead);
  if (weights > 0) end_w = std::max(end_w, std::min(1, width));
  if (kv > 0) end_kv = std::max(end_kv, std::min(end_w + 1, width));
  else end_kv = std::max(end_kv, end_w);
  if (overhead > 0) end_o = std::max(end_o, std::min(end_kv + 1, width));
  else end_o = std::max(end_o, end_kv);
  w.weights = end_w;
  w.kv = end_kv - end_w;
  w.overhead = end_o - end_kv;
  w.free = width - end_o;
  w.overflow = weights + kv + overhead > scale_bytes;
  if (gpu_limit && *gpu_limit >= 0 && *gpu_limit < scale_bytes) w.gpu_mark = std::min(col(*gpu_limit), width - 1);
  return w;
}

std::string render_bar(const BarWidths& w, bool color) {
  const int width = w.weights + w.kv + w.overhead + w.free;
  std::string cells;
  cells.append(static_cast<std::size_t>(w.weights), '#');
  cells.append(static_cast<std::size_t>(w.kv), '=');
  cells.append(static_cast<std::size_t>(w.overhead), 'o');
  cells.append(static_cast<std::size_t>(w.free), ' ');
  std::string kinds = cells;  // the segment each column belongs to, before labels overwrite it
  put_label(cells, 0, w.weights, "weights");
  put_label(cells, w.weights, w.kv, "KV");
  put_label(cells, w.weights + w.kv + w.overhead, w.free, "free");
  if (w.gpu_mark >= 0 && w.gpu_mark < width) {
    cells[static_cast<std::size_t>(w.gpu_mark)] = '|';
    kinds[static_cast<std::size_t>(w.gpu_mark)] = '|';
  }
  const char* close = w.overflow ? ">" : "]";
  if (!color) return "[" + cells + close;
  // Runs of one color, so a 60-column bar costs a handful of escapes.
  std::string out = "[";
  std::size_t i = 0;
  while (i < cells.size()) {
    const char* code = bar_color(kinds[i]);
    std::size_t j = i;
    while (j < cells.size() && std::string_view(bar_color(kinds[j])) == code) ++j;
    std::string_view run(cells.data() + i, j - i);
    out += *code ? fmt::format("\x1b[{}m{}\x1b[0m", code, run) : std::string(run);
    i = j;
  }
  out += w.overflow ? fmt::format("\x1b[{}m>\x1b[0m", bar_color('>')) : "]";
  return out;
}

std::string route_verdict(const Analysis& a, const RouteAnalysis& ra) {
  if (!ra.memory) return "no estimate";
  const MemoryEstimate& mem = *ra.memory;
  if (mem.vllm && mem.vllm->gpu_bytes > 0 && !mem.vllm->fits) return "vLLM cannot start (LI017)";
  if (mem.total() > a.budget.model_budget_bytes) return "over the model budget";
  const std::vector<GpuLoad> loads = a.gpu_loads(ra);
  if (std::any_of(loads.begin(), loads.end(), [](const GpuLoad& g) { return g.over(); }))
    return loads.size() > 1 ? "over a GPU's VRAM" : "over the GPU limit";
  return "fits";
}

std::string plan_model_name(const ModelInfo& m) {
  return m.hf_repo.empty() ? m.id : m.hf_repo.substr(m.hf_repo.find('/') + 1);
}

ResidentSet resident_set(const Analysis& a) {
  ResidentSet s;
  for (const auto& rr : a.config.resident_routes) {
    const RouteAnalysis* ra = a.route(rr.value);
    if (!ra) {
      s.unknown.push_back(rr.value);
      continue;
    }
    if (!ra->memory || std::find(s.routes.begin(), s.routes.end(), ra) != s.routes.end()) continue;
    s.routes.push_back(ra);
    s.total_bytes += ra->memory->total();
  }
  return s;
}

namespace {
// The pair of routes `better` prefers among those `eligible` accepts.
template <typename Eligible, typename Better>
std::optional<RoutePair> best_pair(const Analysis& a, Eligible eligible, Better better) {
  std::optional<RoutePair> best;
  for (std::size_t i = 0; i < a.routes.size(); ++i)
    for (std::size_t j = i + 1; j < a.routes.size(); ++j) {
      const auto& x = a.routes[i];
      const auto& y = a.routes[j];
      if (!x.memory || !y.memory) continue;
      const double total = x.memory->total() + y.memory->total();
      if (eligible(total) && (!best || better(total, best->total_bytes))) best = RoutePair{&x, &y, total};
    }
  return best;
}
}  // namespace

std::optional<RoutePair> largest_fitting_pair(const Analysis& a) {
  return best_pair(a, [&](double total) { return fits(a, total); }, std::greater<double>());
}

std::optional<RoutePair> smallest_pair(const Analysis& a) {
  return best_pair(a, [](double) { return true; }, std::less<double>());
}

namespace {

// What vLLM takes of each GPU and the KV blocks that leaves (estimate/vllm_memory.cpp).
void render_vllm(std::ostream& out, const VllmCache& v, long long context) {
  const std::string gpus = v.tensor_parallel > 1 ? fmt::format(" of each of {} GPUs", v.tensor_parallel) : "";
  const std::string unsized = v.linear_layers_unsized ? "; linear-attention layers' blocks not sized (an estimate)" : "";
  if (v.gpu_bytes <= 0) {
    out << fmt::format("  {:<14}{:g} of the GPU it runs on (--gpu-memory-utilization); its memory is not known "
                       "(hardware.gpu_vram_gb): KV blocks for the requests asked for only{}\n",
                       "vLLM takes", v.utilization, unsized);
    return;
  }
  out << fmt::format("  {:<14}{:g} x {:.2f} = {:.2f} GiB{} (--gpu-memory-utilization): {:.2f} weights + {:.2f} peak "
                     "activation (an estimate) + {:.2f} outside torch (an assumption) + {:.2f} KV blocks; CUDA graphs "
                     "and the CUDA context come on top (not sized)\n",
                     "vLLM takes", v.utilization, v.gpu_bytes / kGiB, v.requested_bytes / kGiB, gpus,
                     v.weights_bytes / kGiB, v.activation_bytes / kGiB, v.non_torch_bytes / kGiB,
                     std::max(0.0, static_cast<double>(v.num_blocks) * static_cast<double>(v.bytes_per_block)) / kGiB);
  if (!v.fits) {
    out << fmt::format("  {:<14}one request of {} tokens needs {} blocks of {} tokens, {} are left: vLLM stops at "
                       "start; {} tokens fit{}\n",
                       "KV blocks", context, v.blocks_per_request, v.block_size, v.num_blocks, v.max_model_len_fit,
                       unsized);
    return;
  }
  out << fmt::format("  {:<14}{} blocks of {} tokens ({} layers x {} B each): {} tokens, {:.2f} requests of {} tokens "
                     "at once (--max-num-seqs {}, {} batched tokens){}\n",
                     "KV blocks", v.num_blocks, v.block_size, v.layers_per_group, v.page_bytes, v.kv_tokens,
                     v.max_concurrency, context, v.max_num_seqs, v.max_num_batched_tokens, unsized);
}

// How the chip shown was matched: hardware.chip's, else (the tokens/s of) the first GPU's.
ChipMatch::Status chip_status(const Analysis& a) {
  if (!a.config.chip && !a.gpu_matches.empty()) return a.gpu_matches[0].status;
  return a.chip_match.status;
}

// How llama.cpp spreads a route's layers over several GPUs (estimate/devices.h layer_devices):
// "layers by free memory: gpu0 25, gpu1 24 (of 49 with the output layer, on gpu1)".
std::string split_text(const Analysis& a, const RouteAnalysis& ra) {
  const ResolvedRoute& r = *ra.route;
  const Serving& sv = r.serving;
  if (sv.split_mode == SplitMode::none) return fmt::format("gpu{} alone (split_mode none, main_gpu {})", sv.main_gpu, sv.main_gpu);
  const GpuVram vram = a.gpu_vram();
  const std::vector<int> dev =
      layer_devices(r.model->layers, sv.gpu_layers, split_points(sv.tensor_split, vram, r.rules->overhead.gpu_context_bytes));
  std::vector<int> count(vram.size(), 0);
  int cpu = 0;
  for (int d : dev) (d < 0 ? cpu : count[static_cast<std::size_t>(d)]) += 1;
  std::vector<std::string> parts, ts;
  for (std::size_t i = 0; i < count.size(); ++i) parts.push_back(fmt::format("gpu{} {}", i, count[i]));
  for (double x : sv.tensor_split) ts.push_back(fmt::format("{:g}", x));
  std::string text = fmt::format("layers by {}: {}", sv.tensor_split.empty() ? "free memory" : "tensor_split " + join(ts, ","),
                                 join(parts, ", "));
  if (cpu > 0) text += fmt::format(", CPU {}", cpu);
  text += fmt::format(" (of {} with the output layer{})", dev.size(),
                      dev.back() >= 0 ? fmt::format(", on gpu{}", dev.back()) : ", on the CPU");
  if (sv.split_mode == SplitMode::row) text += "; split_mode row: not modelled (LI029)";
  return text;
}

}  // namespace

void render_plan_route(std::ostream& out, const Analysis& a, const RouteAnalysis& ra, bool color) {
  auto bold = [&](std::string_view s) { return color ? fmt::format("\x1b[1m{}\x1b[0m", s) : std::string(s); };
  const Budget& b = a.budget;
  const ResolvedRoute& r = *ra.route;
  out << bold(fmt::format("route {}", shown_value(r.cfg->name)));
  if (!r.model) {
    out << fmt::format(": model '{}' is unknown, no estimate (planner check says more)\n",
                       shown_value(r.cfg->model.value));
    return;
  }
  const ModelInfo& m = *r.model;
  out << ": " << shown_value(plan_model_name(m));
  if (m.is_moe())
    out << fmt::format(" ({:.2f}B total, {:.2f}B active: MoE)", m.params_total / 1e9, m.params_active / 1e9);
  else
    out << fmt::format(" ({:.2f}B)", m.params_total / 1e9);
  if (plan_model_name(m) != r.cfg->model.value && m.id != r.cfg->model.value)
    out << fmt::format(", written '{}'", shown_value(r.cfg->model.value));
  out << '\n';
  if (r.local) {
    // Where a name was found on disk (resolve/local_model.h), and Ollama's own context.
    std::string where = fmt::format("{} in {} ({})", shown_text(r.local->path.string()), store_description(r.local->store),
                                    shown_text(r.local->via));
    if (r.local->num_ctx)
      where += fmt::format("; Ollama runs it at num_ctx {}{}", *r.local->num_ctx,
                           r.context_node ? ", the config sets the context" : "");
    out << fmt::format("  {:<14}{}\n", "on disk", where);
  }
  out << fmt::format("  {:<14}{} ({})\n", "runtime", r.runtime->name, to_string(r.format));
  if (!r.quant.known || !ra.memory) {
    out << fmt::format("  {:<14}'{}' is unknown, no estimate (planner check says more)\n", "quantization",
                       shown_value(r.quant_name));
    return;
  }
  const MemoryEstimate& mem = *ra.memory;
  out << fmt::format("  {:<14}{}\n", "quantization", quant_text(ra));
  if (!r.quant.estimate_note.empty())
    out << fmt::format("  {:<14}{}: {}\n", "estimate", shown_value(r.quant.label), r.quant.estimate_note);
  out << fmt::format("  {:<14}{} tokens, KV cache {}\n", "context", r.context, shown_value(r.kv_type));
  if (r.serving.slots > 1 || r.serving.slots_set)
    out << fmt::format("  {:<14}{} concurrent requests, {}{}\n", "slots", r.serving.slots,
                       r.serving.kv_unified ? "sharing one pool of the context's cells" : "each with its own context",
                       r.serving.slots_set ? "" : fmt::format(" ({}'s default)", r.runtime->name));
  out << fmt::format("  {:<14}{:.2f} weights + {:.2f} KV cache + {:.2f} fixed state + {:.2f} overhead = {:.2f} GiB\n",
                     "memory", mem.weights_bytes / kGiB, mem.kv_bytes / kGiB, mem.state_bytes / kGiB,
                     mem.overhead_bytes / kGiB, mem.total() / kGiB);
  if (b.gpus.size() > 1 && ra.devices.size() > 2) out << fmt::format("  {:<14}{}\n", "split", split_text(a, ra));
  if (ra.devices.size() > 1)
    for (const auto& d : ra.devices)
      out << fmt::format("  {:<14}{:.2f} weights + {:.2f} KV cache + {:.2f} fixed state + {:.2f} buffers + {:.2f} runtime = "
                         "{:.2f} GiB\n",
                         "on " + d.device, d.weights_bytes / kGiB, d.kv_cache_bytes / kGiB, d.state_bytes / kGiB,
                         d.compute_bytes / kGiB, d.runtime_bytes / kGiB, d.total() / kGiB);
  if (mem.vllm) render_vllm(out, *mem.vllm, r.context);
  // What each GPU holds (Analysis::gpu_loads) against its limit.
  const std::vector<GpuLoad> loads = a.gpu_loads(ra);
  std::string headroom = fmt::format("{:+.2f} GiB against the model budget", (b.model_budget_bytes - mem.total()) / kGiB);
  for (const auto& g : loads) {
    if (!g.limit) continue;
    headroom += loads.size() > 1 ? fmt::format(", {:+.2f} GiB on {}", *g.headroom() / kGiB, g.device)
                                 : fmt::format(", {:+.2f} GiB against the GPU limit", *g.headroom() / kGiB);
  }
  out << fmt::format("  {:<14}{} (negative = over)\n", "headroom", headroom);
  if (ra.speed)
    out << fmt::format("  {:<14}~{:.0f} tokens/s with an empty context, ~{:.0f} at {} tokens\n", "decode",
                       ra.speed->tokens_per_second_empty, ra.speed->tokens_per_second_full, r.context);
  // The bar marks one GPU limit; several GPUs are held to theirs one by one, above.
  BarWidths w = bar_widths(mem.weights_bytes, mem.kv_bytes + mem.state_bytes, mem.overhead_bytes,
                           b.model_budget_bytes, b.gpus.size() > 1 ? std::nullopt : b.gpu_limit_bytes, kBarWidth);
  out << "  " << render_bar(w, color) << ' ' << route_verdict(a, ra) << '\n';
}

void render_plan_text(std::ostream& out, const std::string& path, const Analysis& a, bool color) {
  auto bold = [&](std::string_view s) { return color ? fmt::format("\x1b[1m{}\x1b[0m", s) : std::string(s); };
  const Budget& b = a.budget;
  const auto& cfg = a.config;
  out << bold(fmt::format("{}: memory plan", shown_text(path))) << " (sizes in GiB, 1 GiB = 2^30 bytes)\n\n";

  out << bold("machine") << '\n';
  out << fmt::format("  {:<14}{:>7.2f} GiB\n", "RAM", b.ram_bytes / kGiB);
  out << fmt::format("  {:<14}{:>7.2f} GiB  ({}% of RAM)\n", "OS reserve", b.os_reserve_bytes / kGiB,
                     fixed(cfg.os_reserve_percent.value, 0));
  out << fmt::format("  {:<14}{:>7.2f} GiB  (RAM less the OS reserve)\n", "model budget", b.model_budget_bytes / kGiB);
  out << fmt::format("  {:<14}{:>7.2f} GiB  ({}% of the model budget, for KV caches)\n", "KV reserve",
                     b.kv_reserve_bytes / kGiB, fixed(cfg.kv_cache_reserve_percent.value, 0));
  if (b.gpus.size() > 1) {
    // Several GPUs: each one's VRAM, which each route's share on it is held to.
    for (const auto& g : b.gpus)
      if (g.vram_bytes)
        out << fmt::format("  {:<14}{:>7.2f} GiB  ({})\n", g.device + " VRAM", *g.vram_bytes / kGiB, shown_value(g.basis));
      else
        out << fmt::format("  {:<14}   none  (not known: set its vram_gb or a known chip in hardware.gpus)\n",
                           g.device + " VRAM");
  } else if (b.gpu_limit_bytes)
    out << fmt::format("  {:<14}{:>7.2f} GiB  ({})\n", "GPU limit", *b.gpu_limit_bytes / kGiB,
                       shown_value(b.gpu_limit_basis));
  else
    out << fmt::format("  {:<14}   none  (no GPU limit known: set hardware.gpu_vram_gb or a known hardware.chip)\n",
                       "GPU limit");
  if (a.chip)
    out << fmt::format("  {:<14}{} ({} GB/s memory bandwidth{})\n", "chip", shown_value(a.chip->label),
                       fixed(a.chip->bandwidth_gbs, 0),
                       chip_status(a) == ChipMatch::Status::known ? "" : "; assumed, see planner check");
  else if (cfg.chip)
    out << fmt::format("  {:<14}{} (not in data/hardware.yaml: no tokens/s estimate)\n", "chip",
                       shown_value(cfg.chip->value));
  else
    out << fmt::format("  {:<14}not set (hardware.chip gives a tokens/s estimate)\n", "chip");

  for (const auto& ra : a.routes) {
    out << '\n';
    render_plan_route(out, a, ra, color);
  }

  out << '\n' << bold("together") << '\n';
  if (!cfg.resident_routes.empty()) {
    ResidentSet s = resident_set(a);
    std::vector<std::string> parts;
    for (const auto* ra : s.routes)
      parts.push_back(fmt::format("{} {:.2f}", shown_value(ra->route->cfg->name), ra->memory->total() / kGiB));
    out << fmt::format("  resident_routes: {} = {:.2f} GiB, {}", join(parts, " + "),
                       s.total_bytes / kGiB, over_under(b.model_budget_bytes - s.total_bytes, "the model budget"));
    if (b.gpu_limit_bytes) out << fmt::format(", {}", over_under(*b.gpu_limit_bytes - s.total_bytes, "the GPU limit"));
    out << (fits(a, s.total_bytes) ? ": they fit together\n" : ": they do not fit together\n");
    if (!s.unknown.empty()) {
      std::vector<std::string> unknown;
      for (const auto& u : s.unknown) unknown.push_back(shown_value(u));
      out << fmt::format("  not routes: {}\n", join(unknown, ", "));
    }
  } else {
    out << "  no inference.resident_routes: one route is loaded at a time\n";
    if (auto p = largest_fitting_pair(a)) {
      out << fmt::format("  largest pair that would fit together: {} + {} = {:.2f} GiB ({}",
                         shown_value(p->a->route->cfg->name), shown_value(p->b->route->cfg->name), p->total_bytes / kGiB,
                         over_under(b.model_budget_bytes - p->total_bytes, "the model budget"));
      if (b.gpu_limit_bytes) out << fmt::format(", {}", over_under(*b.gpu_limit_bytes - p->total_bytes, "the GPU limit"));
      out << ")\n";
    } else if (auto s = smallest_pair(a)) {
      out << fmt::format("  no two routes would fit together: the smallest pair, {} + {}, needs {:.2f} GiB ({}",
                         shown_value(s->a->route->cfg->name), shown_value(s->b->route->cfg->name), s->total_bytes / kGiB,
                         over_under(b.model_budget_bytes - s->total_bytes, "the model budget"));
      if (b.gpu_limit_bytes) out << fmt::format(", {}", over_under(*b.gpu_limit_bytes - s->total_bytes, "the GPU limit"));
      out << ")\n";
    } else {
      out << "  fewer than two routes have an estimate\n";
    }
  }

  render_cluster_text(out, a);

  out << "\nbar: the model budget in " << kBarWidth << " columns; # weights, = KV cache and fixed state, o overhead";
  if (b.gpus.size() <= 1 && b.gpu_limit_bytes && *b.gpu_limit_bytes < b.model_budget_bytes) out << ", | the GPU limit";
  out << ", > past the budget\n";
}

}  // namespace planner
