// The watchdog's ladders (launch/ladder.h). Each rung is the route re-planned with one value
// changed (its context, or its model and quantization) and passed through the route's own
// launch steps, so a rung's server starts with exactly the flags the route's runtime takes; its
// memory is the estimate planner prints for a route, checked against the same budget.
#include "launch/ladder.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/text.h"
#include "launch/names.h"
#include "resolve/routes.h"
#include "select/select.h"

namespace planner {

namespace {

// The most downgrade rungs of smaller models (after the smaller quantizations): enough to step
// down twice, few enough that the script stays readable.
constexpr std::size_t kMaxSmallerModelRungs = 2;

// Whether a route of `total` bytes fits the machine on its own: the model budget, and the GPU
// limit where there is one (a Mac's wired limit, a discrete GPU's VRAM).
bool rung_fits_alone(const Budget& b, const MemoryEstimate& m) {
  if (m.vllm && m.vllm->gpu_bytes > 0) return m.vllm->fits;
  double limit = b.model_budget_bytes;
  if (b.gpu_limit_bytes) limit = std::min(limit, *b.gpu_limit_bytes);
  return m.total() <= limit;
}

struct ReplannedRung {
  std::optional<LadderStep> step;
  std::string why_not;  // the rung's launch steps could not be made
};

// `r` re-planned through its runtime's launch steps, into a scratch plan so that the route's own
// tools and flags stay as they are.
ReplannedRung replan_rung(const LaunchContext& c, const RouteLaunch& rl, const ResolvedRoute& r, const std::string& dir,
                 int index) {
  ReplannedRung out;
  RouteAnalysis ra = c.ra;
  ra.route = &r;
  ra.memory = estimate_memory(*r.model, r.quant, *r.rules, r.context, r.serving);
  LaunchPlan scratch;
  LaunchContext rc{c.a, ra, c.opt, scratch, dir, index};
  RouteLaunch trial;
  trial.name = rl.name;
  trial.port = rl.port;
  r.runtime->launch_steps(rc, trial);
  if (!trial.skipped.empty()) {
    out.why_not = trial.skipped;
    return out;
  }
  LadderStep s;
  s.context = r.context;
  s.total_bytes = ra.memory->total();
  for (auto& st : trial.steps) (st.kind == StepKind::serve ? s.serve : s.prepare.emplace_back()) = st;
  if (s.serve.argv.empty()) {
    out.why_not = "its runtime starts no server";
    return out;
  }
  s.tools = scratch.tools;
  s.needs_llama_cpp_dir = scratch.needs_llama_cpp_dir;
  out.step = std::move(s);
  return out;
}

// A rung that makes files (a download, a conversion) waits for --allow-downloads.
bool rung_makes_files(const LadderStep& s) {
  return std::any_of(s.prepare.begin(), s.prepare.end(), [](const Step& st) {
    return st.kind == StepKind::download || st.kind == StepKind::convert || st.kind == StepKind::quantize;
  });
}

void context_rungs(const LaunchContext& c, const RouteLaunch& rl, RouteLadders& out) {
  const ResolvedRoute& r = *c.ra.route;
  const Step* own = nullptr;
  for (const auto& st : rl.steps)
    if (st.kind == StepKind::serve) own = &st;
  // Halving, in multiples of 256 (the step max_context_for sizes contexts in).
  for (long long ctx = r.context / 2 / 256 * 256; ctx >= ladder_floor_context(); ctx = ctx / 2 / 256 * 256) {
    ResolvedRoute smaller = r;
    smaller.context = ctx;
    ReplannedRung p = replan_rung(c, rl, smaller, c.dir, c.index);
    if (!p.step) break;
    // A server without a context flag starts the same at every context: no ladder (mlx_lm.server).
    if (own && std::equal(p.step->serve.argv.begin(), p.step->serve.argv.end(), own->argv.begin(), own->argv.end(),
                          [](const Word& x, const Word& y) { return x.text == y.text && x.env == y.env && x.var == y.var; })) {
      out.contexts_note = fmt::format("{} takes no context flag", r.runtime->name);
      out.contexts.clear();
      return;
    }
    const MemoryEstimate m = estimate_memory(*r.model, r.quant, *r.rules, ctx, r.serving);
    if (!rung_fits_alone(c.a.budget, m)) continue;
    p.step->label = fmt::format("{} tokens of context, {} estimated", ctx, gib(p.step->total_bytes));
    p.step->prepare.clear();  // the route's own model, prepared already; its tools checked by the preflight
    p.step->tools.clear();
    out.contexts.push_back(std::move(*p.step));
  }
  if (out.contexts.empty())
    out.contexts_note = fmt::format("no context of {} tokens or more below the route's {}", ladder_floor_context(),
                                    r.context);
}

void model_rungs(const LaunchContext& c, const RouteLaunch& rl, RouteLadders& out) {
  const ResolvedRoute& r = *c.ra.route;
  const Analysis& a = c.a;
  double below = c.ra.memory ? c.ra.memory->total() : 0;
  int rung = 0;
  auto take = [&](const ResolvedRoute& next) {
    // Each rung holds less than the one before it: under pressure, a step down must free memory.
    const MemoryEstimate m = estimate_memory(*next.model, next.quant, *next.rules, next.context, next.serving);
    if ((below > 0 && m.total() >= below) || !rung_fits_alone(a.budget, m)) return;
    ++rung;
    const std::string dir = fmt::format("{}-{}", c.dir, path_component(fmt::format("{}-{}", next.model->id, next.quant_name), "model"));
    ReplannedRung p = replan_rung(c, rl, next, dir, (c.index + 1) * 1000 + rung);
    if (!p.step) return;
    p.step->label = fmt::format("{} {}, {} tokens of context, {} estimated", shown_value(next.model->id),
                                shown_value(next.quant.label), next.context, gib(p.step->total_bytes));
    if (!c.opt.allow_downloads && rung_makes_files(*p.step))
      p.step->skipped = "it needs a download or conversion, and the script was generated without --allow-downloads";
    below = p.step->total_bytes;
    out.models.push_back(std::move(*p.step));
  };
  if (r.file) {
    out.models_note = "a model file is one quantization: no smaller one of it to step down to";
  } else {
    const TaskPolicy* policy = a.quant->policy(r.task);
    const int min_bits = policy ? policy->min_bits : 0;
    for (const char* name : quant_steps()) {
      ResolvedRoute next = r;
      next.quant = resolve_quant(*a.quant, name, r.format);
      next.quant_name = name;
      if (!next.quant.known || next.quant.bits_class >= r.quant.bits_class || next.quant.bits_class < min_bits) continue;
      take(next);
    }
  }
  // Smaller models of the route's task, as `planner route` picks them for this machine.
  if (!r.task.empty()) {
    SelectOptions so;
    so.context = r.context;
    so.format = r.format;
    so.kv_type = r.kv_type;
    SelectContext sc = make_select_context(machine_from_config(a.config), so);
    sc.catalog = a.catalog;
    sc.quant = a.quant;
    sc.hardware = a.hardware;
    sc.budget = a.budget;
    TaskSelection sel = select_for_task(sc, r.task);
    std::vector<const Candidate*> smaller;
    for (const auto& cand : sel.candidates)
      if (cand.viable && cand.model != r.model && cand.memory) smaller.push_back(&cand);
    std::stable_sort(smaller.begin(), smaller.end(),
                     [](const Candidate* x, const Candidate* y) { return x->memory->total() > y->memory->total(); });
    std::size_t taken = 0;
    for (const Candidate* cand : smaller) {
      if (taken == kMaxSmallerModelRungs) break;
      ResolvedRoute next = r;
      next.model = cand->model;
      next.quant = cand->quant;
      next.quant_name = cand->quant_name;
      next.context = cand->context;
      next.file = nullptr;
      next.local = nullptr;
      const std::size_t before = out.models.size();
      take(next);
      if (out.models.size() > before) ++taken;
    }
  }
  if (out.models.empty()) {
    if (out.models_note.empty()) out.models_note = "no smaller quantization or model of its task fits";
    else out.models_note += "; no smaller model of its task fits";
  }
}

}  // namespace

long long ladder_floor_context() { return kDefaultRouteContext; }

RouteLadders route_ladders(const LaunchContext& c, const RouteLaunch& rl) {
  RouteLadders out;
  if (!c.ra.route || !c.ra.route->model || !c.ra.route->runtime->launch_steps) return out;
  context_rungs(c, rl, out);
  model_rungs(c, rl, out);
  return out;
}

}  // namespace planner
