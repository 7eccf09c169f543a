// LI029 gpu-split-settings: a route's split over several GPUs (tensor_split, split_mode,
// main_gpu) that llama.cpp refuses, ignores, or reads differently from what it says.
#include <fmt/format.h>

#include "core/text.h"
#include "rules/rule.h"

namespace planner {

namespace {
void check_gpu_split_settings(const Analysis& a, Reporter& out);
}

extern const Rule kGpuSplitSettings = {
    "LI029", "gpu-split-settings", Severity::warning,
    "a route's split over several GPUs (tensor_split, split_mode, main_gpu) that llama.cpp refuses or ignores",
    R"(## What it does
llama.cpp spreads a model over the GPUs of `hardware.gpus` by layers (`split_mode: layer`, the
default): each GPU gets a share of the layers by `tensor_split` (`-ts 3,1`), by default by each
GPU's free memory, and each layer's KV cache follows it. This rule reports what llama.cpp
(de3ff815, node-llama-cpp 3.22.1's bundle) does otherwise than the route says:
- `split_mode: row` (error): the CUDA backend, which ROCm builds compile too, offers no row-split
  buffer, and llama.cpp stops loading: "device CUDA0 does not support split buffers"
  (`src/llama-model.cpp:1126-1147`; `ggml/src/ggml-cuda/ggml-cuda.cu:5748-5769` exports no
  `ggml_backend_split_buffer_type`). planner estimates such a route as the layer split.
- `main_gpu` with `split_mode: none` past the last GPU (error): "invalid value for main_gpu"
  (`src/llama.cpp:289-296`), the model does not load.
- `main_gpu` with another split mode (warning): llama.cpp reads it only with `split_mode: none`
  (`src/llama.cpp:289-300`), although `--help` also names row mode.
- `tensor_split` with `split_mode: none`, or with another number of entries than GPUs (warning):
  llama.cpp reads the first proportion of each GPU and ignores the rest; a GPU past the list
  gets no layers (`src/llama-model.cpp:1488-1519`).
- Any of the three on one GPU, on Apple silicon or on the CPU, or on a runtime other than
  llama.cpp (warning): they change nothing, and planner emits no flag for them (Ollama and LM
  Studio pick their own split).

## Why is this bad?
A route that cannot load never serves; a setting that is ignored leaves the memory on each GPU
other than the config suggests, and the per-GPU checks (LI014) hold what llama.cpp really does.

## Example
```yaml
hardware:
  gpus: [{chip: RTX 3090}, {chip: RTX 3090}]
routing:
  analysis:
    model: llama-3.3-70b-instruct
    split_mode: row
```

## Fix
Use `split_mode: layer` (the default) and `tensor_split` to move layers between GPUs; give
`tensor_split` one proportion per GPU; set `main_gpu` only with `split_mode: none`.
)",
    check_gpu_split_settings};

namespace {

// The first split key a route states, for the findings about all three.
const Node* first_key(const RouteConfig& rc, std::string* name) {
  const Node* at = nullptr;
  if (rc.tensor_split) {
    *name = "tensor_split";
    at = rc.tensor_split->node;
  } else if (rc.split_mode) {
    *name = "split_mode";
    at = rc.split_mode->node;
  } else if (rc.main_gpu) {
    *name = "main_gpu";
    at = rc.main_gpu->node;
  }
  return at;
}

void check_gpu_split_settings(const Analysis& a, Reporter& out) {
  const std::size_t gpus = a.budget.gpus.size();
  for (const auto& ra : a.routes) {
    const ResolvedRoute& r = *ra.route;
    const RouteConfig& rc = *r.cfg;
    std::string key;
    const Node* at = first_key(rc, &key);
    if (!at) continue;
    const std::string route = shown_value(rc.name);
    if (r.runtime->id != "llama.cpp") {
      auto& d = out.report(kGpuSplitSettings, at, route_path(r, key),
                           fmt::format("route '{}' runs on {}, which takes no {} (llama-server's split): planner "
                                       "emits no flag for it",
                                       route, r.runtime->name, key));
      d.help = "remove it, or serve the route with llama-server (runtime: llama.cpp)";
      continue;
    }
    if (a.placement != Placement::discrete_gpu || gpus < 2) {
      auto& d = out.report(kGpuSplitSettings, at, route_path(r, key),
                           a.placement != Placement::discrete_gpu
                               ? fmt::format("route '{}' sets {}, which changes nothing without discrete GPUs", route, key)
                               : fmt::format("route '{}' sets {}, which changes nothing on one GPU", route, key));
      d.help = "list the GPUs under hardware.gpus, or remove it";
      continue;
    }
    const Serving& s = r.serving;
    if (rc.split_mode && s.split_mode == SplitMode::row) {
      auto& d = out.report(kGpuSplitSettings, Severity::error, rc.split_mode->node, route_path(r, "split_mode"),
                           fmt::format("route '{}' asks for split_mode row, which llama.cpp cannot load on CUDA or "
                                       "ROCm: its CUDA backend has no row-split buffer ('does not support split "
                                       "buffers'); planner estimates it as the layer split",
                                       route));
      d.help = "use split_mode: layer (the default), and tensor_split to move layers between the GPUs";
      d.fix = replace_scalar(rc.split_mode->node, "layer", fmt::format("set split_mode: layer on route '{}'", route),
                             FixSafety::unsafe);
    }
    if (rc.main_gpu) {
      if (s.split_mode == SplitMode::none && static_cast<std::size_t>(rc.main_gpu->value) >= gpus) {
        auto& d = out.report(kGpuSplitSettings, Severity::error, rc.main_gpu->node, route_path(r, "main_gpu"),
                             fmt::format("route '{}' sets main_gpu {}, but hardware.gpus lists {} GPUs (gpu0 to gpu{}): "
                                         "llama.cpp stops with 'invalid value for main_gpu'",
                                         route, rc.main_gpu->value, gpus, gpus - 1));
        d.help = fmt::format("set main_gpu to 0-{}", gpus - 1);
      } else if (s.split_mode != SplitMode::none) {
        auto& d = out.report(kGpuSplitSettings, rc.main_gpu->node, route_path(r, "main_gpu"),
                             fmt::format("route '{}' sets main_gpu {}, which llama.cpp reads only with split_mode none: "
                                         "the layers are split over all {} GPUs",
                                         route, rc.main_gpu->value, gpus));
        d.help = "add split_mode: none to run on that GPU alone, or remove main_gpu";
      }
    }
    if (rc.tensor_split) {
      const std::size_t n = rc.tensor_split->value.size();
      if (s.split_mode == SplitMode::none) {
        auto& d = out.report(kGpuSplitSettings, rc.tensor_split->node, route_path(r, "tensor_split"),
                             fmt::format("route '{}' sets tensor_split with split_mode none: llama.cpp runs on gpu{} "
                                         "alone and ignores it",
                                         route, s.main_gpu));
        d.help = "remove tensor_split, or remove split_mode: none to split the layers over the GPUs";
      } else if (n != gpus) {
        auto& d = out.report(kGpuSplitSettings, rc.tensor_split->node, route_path(r, "tensor_split"),
                             n > gpus ? fmt::format("route '{}' gives tensor_split {} proportions for {} GPUs: "
                                                    "llama.cpp reads the first {} and ignores the rest",
                                                    route, n, gpus, gpus)
                                      : fmt::format("route '{}' gives tensor_split {} proportion{} for {} GPUs: "
                                                    "gpu{}{} get{} no layers",
                                                    route, n, n == 1 ? "" : "s", gpus, n,
                                                    n + 1 < gpus ? fmt::format(" to gpu{}", gpus - 1) : "",
                                                    n + 1 < gpus ? "" : "s"));
        d.help = fmt::format("give one proportion per GPU of hardware.gpus ({})", gpus);
      }
    }
  }
}

}  // namespace

}  // namespace planner
