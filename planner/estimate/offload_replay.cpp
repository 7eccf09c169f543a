#include "estimate/offload_replay.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "estimate/memory.h"
#include "resolve/quant.h"

namespace planner {

std::uint64_t BestFitBuffer::alloc(std::uint64_t size) {
  size = aligned(size);
  std::size_t best = free_.size() - 1;  // the last block, unless a smaller one holds it
  std::uint64_t best_size = UINT64_MAX;
  for (std::size_t i = 0; i + 1 < free_.size(); ++i)
    if (free_[i].size >= size && free_[i].size <= best_size) best = i, best_size = free_[i].size;
  Block& b = free_[best];
  const std::uint64_t offset = b.offset;
  b.offset += size;
  b.size -= size;
  if (b.size == 0) free_.erase(free_.begin() + static_cast<std::ptrdiff_t>(best));
  peak_ = std::max(peak_, offset + size);
  return offset;
}

void BestFitBuffer::free(std::uint64_t offset, std::uint64_t size) {
  size = aligned(size);
  auto next = std::lower_bound(free_.begin(), free_.end(), offset,
                               [](const Block& b, std::uint64_t o) { return b.offset < o; });
  const bool joins_prev = next != free_.begin() && std::prev(next)->offset + std::prev(next)->size == offset;
  const bool joins_next = next != free_.end() && offset + size == next->offset;
  if (joins_prev && joins_next) {
    std::prev(next)->size += size + next->size;
    free_.erase(next);
  } else if (joins_prev) {
    std::prev(next)->size += size;
  } else if (joins_next) {
    next->offset = offset;
    next->size += size;
  } else {
    free_.insert(next, Block{offset, size});
  }
}

namespace {

// Tensors by handle over one buffer, so the graph below reads as the trace does: a() allocates,
// f() frees.
class GraphReplay {
 public:
  int a(std::uint64_t size) {
    live_.push_back({buffer_.alloc(size), size});
    return static_cast<int>(live_.size()) - 1;
  }
  void f(int id) { buffer_.free(live_[static_cast<std::size_t>(id)].offset, live_[static_cast<std::size_t>(id)].size); }
  std::uint64_t peak() const { return buffer_.peak(); }

 private:
  struct Placed {
    std::uint64_t offset, size;
  };
  BestFitBuffer buffer_;
  std::vector<Placed> live_;
};

// A weight's copy in CUDA0's buffer: ggml_dup_tensor_layout's size (ggml-backend.cpp:749-755), plus
// what CUDA's buffer type adds to a quantized tensor whose rows are not whole multiples of 512
// elements (ggml_backend_cuda_buffer_type_get_alloc_size, MATRIX_ROW_PADDING). The trace shows it:
// Gemma-2-2B's attn_q (2304 x 2048 at Q4_K, 2654208 bytes) takes 2654464, its attn_output (2048
// wide) 2654208.
std::uint64_t cuda_copy_bytes(const RecipeTensor& t) {
  auto bytes = static_cast<std::uint64_t>(std::llround(t.bytes));
  const GgufType* g = QuantTables::builtin().type(t.type);
  const std::int64_t ne0 = t.ne.empty() ? 0 : t.ne[0];
  if (g && g->block_elems > 1 && ne0 % 512 != 0)
    bytes += static_cast<std::uint64_t>((512 - ne0 % 512) / g->block_elems * g->block_bytes);
  return bytes;
}

}  // namespace

// The node order is the traces' (bench/accuracy/logs/alloc-trace and gpu-alloc-check, llama.cpp
// de3ff815, Gemma-2-9B and 2B at -ngl 0): CUDA0's allocations and frees of the first pp reserve,
// which this reproduces event by event on all ten of them (offload.md section 7). A host weight's
// copy is freed after its one matrix product; norm weights multiply in place; the K and V copies
// are of the cache views; each cache's mask lives from its first layer's attention to its last's.
std::uint64_t replay_gemma2_host_graph(const Gemma2HostGraph& g) {
  GraphReplay r;
  const std::uint64_t t = g.ubatch, e = 4 * t * g.hidden, eq = 4 * t * g.heads * g.head_dim;
  const std::uint64_t ek = 4 * t * g.kv_heads * g.head_dim, ff = 4 * t * g.ffn;
  const std::size_t n = g.layers.size();
  std::vector<std::size_t> last(g.masks.size(), 0);
  for (std::size_t il = 0; il < n; ++il) last[static_cast<std::size_t>(g.layers[il].cache)] = il;
  std::vector<int> mask(g.masks.size(), -1);
  int inp = r.a(e);  // the embeddings' copy (get_rows stays on the host), scaled in place
  int pos = -1;
  for (std::size_t il = 0; il < n; ++il) {
    const HostLayerCopies& c = g.layers[il];
    const auto cache = static_cast<std::size_t>(c.cache);
    const bool final = g.ends_graph && il + 1 == n;
    const int norm = r.a(e);
    r.f(r.a(c.attn_norm));
    const int wq = r.a(c.attn_q);
    if (il == 0) pos = r.a(4 * t);  // the positions, copied for the first rope
    const int q = r.a(eq);
    r.f(wq);
    const int q_roped = r.a(eq);
    r.f(q);
    const int wk = r.a(c.attn_k), k = r.a(ek);
    r.f(wk);
    const int k_roped = r.a(ek);
    r.f(k);
    if (final) r.f(pos);
    const int wv = r.a(c.attn_v), v = r.a(ek);
    r.f(wv);
    r.f(norm);
    r.f(k_roped);  // K and V go into the host cache; attention reads copies of the cache views
    r.f(v);
    const int kc = r.a(c.k), vc = r.a(c.v);
    if (mask[cache] < 0) mask[cache] = r.a(g.masks[cache]);
    const int fa = r.a(eq);
    r.f(q_roped);
    r.f(kc);
    r.f(vc);
    if (g.ends_graph && last[cache] == il) r.f(mask[cache]);
    const int wo = r.a(c.attn_output);
    if (final) {
      // The last layer gathers its output rows (out_ids) and runs its FFN on the host: 4 rows are
      // below CUDA's 32-row offload threshold (offload.md section 1).
      const int ids = r.a(4 * g.outputs), attn = r.a(e);
      r.f(wo);
      r.f(fa);
      const int rows = r.a(4 * g.outputs * g.hidden);
      r.f(attn);
      r.f(ids);
      r.f(rows);
      r.f(inp);
      break;
    }
    const int attn = r.a(e);
    r.f(wo);
    r.f(fa);
    r.f(r.a(c.post_attention_norm));
    r.f(inp);  // the residual, added into the attention output in place
    const int ffn_in = r.a(e);
    r.f(r.a(c.ffn_norm));
    const int wg = r.a(c.ffn_gate), gate = r.a(ff);
    r.f(wg);
    const int wu = r.a(c.ffn_up), up = r.a(ff);
    r.f(wu);
    r.f(ffn_in);
    const int glu = r.a(ff);  // GEGLU is not an in-place op (ggml-alloc.c:22-48)
    r.f(gate);
    r.f(up);
    const int wd = r.a(c.ffn_down), out = r.a(e);
    r.f(wd);
    r.f(glu);
    r.f(r.a(c.post_ffw_norm));
    r.f(attn);  // added into the FFN output, the next layer's residual
    inp = out;
  }
  return r.peak();
}

std::optional<Gemma2HostGraph> gemma2_host_graph(const ModelInfo& m, const Runtime& rt, const Serving& s,
                                                 long long context, const std::vector<RecipeTensor>& tensors,
                                                 int host_layers) {
  if (m.family != "gemma2" || !s.flash_attention || s.kv_type_k != "f16" || s.kv_type_v != "f16") return std::nullopt;
  if (host_layers <= 0 || host_layers > m.layers) return std::nullopt;
  std::map<std::string, std::uint64_t, std::less<>> copy;
  for (const auto& t : tensors) copy.emplace(t.name, cuda_copy_bytes(t));
  Gemma2HostGraph g;
  g.ubatch = static_cast<std::uint64_t>(rt.defaults.ubatch);
  g.hidden = static_cast<std::uint64_t>(m.hidden_size);
  g.heads = static_cast<std::uint64_t>(m.attention_heads);
  g.kv_heads = static_cast<std::uint64_t>(m.kv_heads);
  g.head_dim = static_cast<std::uint64_t>(m.head_dim);
  g.ffn = static_cast<std::uint64_t>(m.intermediate_size);
  // n_outputs of the reserve graph: one per sequence (llama-context.cpp:672, offload.md section 1).
  g.outputs = std::min<std::uint64_t>(g.ubatch, static_cast<std::uint64_t>(std::max(1, s.slots)));
  g.ends_graph = host_layers == m.layers;
  // One mask per cache, sliding first: Gemma-2's layer 0 is a sliding one, and the index is only
  // which mask a layer reads; f16 with flash attention (llama-graph.cpp:29-45).
  for (const auto kind : {ModelInfo::LayerKind::sliding, ModelInfo::LayerKind::full})
    g.masks.push_back(2 * g.ubatch * static_cast<std::uint64_t>(kv_stream_cells(m, kind, rt, context, s)));
  for (int il = 0; il < host_layers; ++il) {
    const std::string b = "blk." + std::to_string(il) + ".";
    bool found = true;
    auto size = [&](const char* part) {
      const auto it = copy.find(b + part + ".weight");
      if (it == copy.end()) found = false;
      return it == copy.end() ? 0 : it->second;
    };
    HostLayerCopies c;
    c.attn_norm = size("attn_norm");
    c.attn_q = size("attn_q");
    c.attn_k = size("attn_k");
    c.attn_v = size("attn_v");
    c.attn_output = size("attn_output");
    c.post_attention_norm = size("post_attention_norm");
    c.ffn_norm = size("ffn_norm");
    c.ffn_gate = size("ffn_gate");
    c.ffn_up = size("ffn_up");
    c.ffn_down = size("ffn_down");
    c.post_ffw_norm = size("post_ffw_norm");
    if (!found) return std::nullopt;
    const KvLayerBytes kv = kv_layer_parts(m, rt, context, s, il);
    c.k = static_cast<std::uint64_t>(std::llround(kv.k));
    c.v = static_cast<std::uint64_t>(std::llround(kv.v));
    c.cache = m.layer_kind(il) == ModelInfo::LayerKind::sliding ? 0 : 1;
    g.layers.push_back(c);
  }
  return g;
}

}  // namespace planner
