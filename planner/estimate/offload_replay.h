#pragma once
// CUDA's compute buffer with Gemma-2's layers on the host, found by replaying ggml-alloc's
// allocator over the graph's CUDA0 allocations and frees instead of by a closed rule. The peak
// depends on how copies of different sizes (the Q4_K_M recipe's Q6_K ffn_down and attn_v on some
// layers) cut the free blocks over several layers, which no rule over one or two layers gives
// (bench/accuracy/offload.md section 7: Gemma-2-9B at 18K, 318.38 MiB measured, 258.38 by the rule).
#include <cstdint>
#include <optional>
#include <vector>

#include "estimate/gguf_recipe.h"
#include "model/model_info.h"
#include "runtime/runtime.h"
#include "runtime/serving.h"

namespace planner {

// ggml_dyn_tallocr, the best-fit allocator of one graph buffer (ggml/src/ggml-alloc.c@de3ff815):
// a tensor takes the smallest free block that holds it among all but the last, the later of two
// equal ones (`<=`, :211-224); else the last block, which is unbounded and grows the buffer
// (:227-247); a freed block merges with its neighbours (:312-349). Sizes are rounded up to CUDA's
// 128-byte buffer alignment. Offsets and sizes in bytes.
class BestFitBuffer {
 public:
  std::uint64_t alloc(std::uint64_t size);
  void free(std::uint64_t offset, std::uint64_t size);
  std::uint64_t peak() const { return peak_; }
  static std::uint64_t aligned(std::uint64_t size) { return (size + 127) / 128 * 128; }

 private:
  struct Block {
    std::uint64_t offset, size;
  };
  std::vector<Block> free_{{0, UINT64_MAX / 2}};
  std::uint64_t peak_ = 0;
};

// What one host layer puts into CUDA0's buffer beside its activations: the copies of its weights
// (CUDA's allocation size of each, bench/accuracy/offload.md section 1) and of its K and V views
// (every stream), and which cache's mask its attention reads.
struct HostLayerCopies {
  std::uint64_t attn_norm = 0, attn_q = 0, attn_k = 0, attn_v = 0, attn_output = 0, post_attention_norm = 0;
  std::uint64_t ffn_norm = 0, ffn_gate = 0, ffn_up = 0, ffn_down = 0, post_ffw_norm = 0;
  std::uint64_t k = 0, v = 0;
  int cache = 0;  // index into Gemma2HostGraph::masks
};

// Gemma-2's graph as CUDA0 sees it with layers 0..layers.size()-1 on the host: the shapes that size
// its activations (f32, n_ubatch rows) and each host layer's copies.
struct Gemma2HostGraph {
  std::uint64_t ubatch = 0, hidden = 0, heads = 0, kv_heads = 0, head_dim = 0, ffn = 0;
  std::uint64_t outputs = 0;            // rows the last layer gathers (n_outputs of the reserve)
  std::vector<HostLayerCopies> layers;
  bool ends_graph = false;              // the host layers are all of them: the last one is the model's last
  std::vector<std::uint64_t> masks;     // each cache's KQ mask, f16
};

// The peak of the replay, bytes.
std::uint64_t replay_gemma2_host_graph(const Gemma2HostGraph& g);

// The graph of `m` served with `s` at `context`, its leading `host_layers` layers on the host, the
// copies sized from `tensors` (gguf_recipe_tensors). nullopt where the replay does not hold: a
// family other than gemma2, flash attention off or K/V other than f16 (other nodes, not traced),
// or a tensor missing from the list.
std::optional<Gemma2HostGraph> gemma2_host_graph(const ModelInfo& m, const Runtime& rt, const Serving& s,
                                                 long long context, const std::vector<RecipeTensor>& tensors,
                                                 int host_layers);

}  // namespace planner
