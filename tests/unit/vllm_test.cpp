// vLLM's memory rule (estimate/vllm_memory.cpp) against figures worked by hand from vLLM's own
// formulas (the sources are in that file): the fraction taken, the page and block sizes, the
// number of blocks, the one-request check, concurrency, the batch defaults by GPU; and the
// safetensors weights (estimate/hf_recipe.cpp) of a catalog model, tensor by tensor.
#include <catch2/catch.hpp>

#include "estimate/analysis.h"
#include "estimate/hf_recipe.h"
#include "estimate/vllm_memory.h"
#include "resolve/catalog.h"
#include "resolve/quant.h"
#include "runtime/runtime.h"

using namespace planner;

namespace {

// Llama-3.1-8B's shapes (meta-llama/Llama-3.1-8B config.json: 32 layers, 32 heads, 8 KV heads of
// 128, hidden 4096, FFN 14336, vocab 128256); the weights are given, not sized, in these tests.
ModelInfo llama8b() {
  ModelInfo m;
  m.id = "llama-like";
  m.layers = 32;
  m.attention_heads = 32;
  m.kv_heads = 8;
  m.head_dim = 128;
  m.hidden_size = 4096;
  m.intermediate_size = 14336;
  m.vocab = 128256;
  return m;
}

const Runtime& vllm() { return *find_runtime("vllm"); }

Serving on_gpu(double gib, int tp = 1) {
  Serving s = default_serving(vllm());
  s.gpu_total_bytes = gib * kGiB;
  s.tensor_parallel = tp;
  return s;
}

}  // namespace

TEST_CASE("vLLM's batch defaults follow one GPU's memory", "[vllm]") {
  // get_batch_defaults for OPENAI_API_SERVER: >= 160 GiB 16384/1024, >= 70 GiB (not an A100)
  // 8192/1024, else 2048/256; max_num_batched_tokens capped at max_num_seqs x max_model_len.
  VllmBatch b = vllm_batch(vllm(), on_gpu(24), 8192);
  CHECK(b.max_num_batched_tokens == 2048);
  CHECK(b.max_num_seqs == 256);
  b = vllm_batch(vllm(), on_gpu(80), 8192);
  CHECK(b.max_num_batched_tokens == 8192);
  CHECK(b.max_num_seqs == 1024);
  Serving a100 = on_gpu(80);
  a100.gpu_is_a100 = true;
  b = vllm_batch(vllm(), a100, 8192);
  CHECK(b.max_num_batched_tokens == 2048);
  CHECK(b.max_num_seqs == 256);
  b = vllm_batch(vllm(), on_gpu(180), 8192);
  CHECK(b.max_num_batched_tokens == 16384);
  CHECK(b.max_num_seqs == 1024);
  // parallel: 4 -> --max-num-seqs 4, and the batch is capped at 4 x 256 tokens.
  Serving four = on_gpu(24);
  four.slots = 4;
  four.slots_set = true;
  b = vllm_batch(vllm(), four, 256);
  CHECK(b.max_num_seqs == 4);
  CHECK(b.max_num_batched_tokens == 1024);
  b = vllm_batch(vllm(), on_gpu(0), 8192);  // no GPU known: get_batch_defaults' device_memory 0
  CHECK(b.max_num_batched_tokens == 2048);
}

TEST_CASE("vLLM on a 24 GiB GPU: 0.92 of it, less weights, activations and non-torch memory, in 2 MiB blocks",
          "[vllm]") {
  const ModelInfo m = llama8b();
  const VllmCache c = vllm_cache(m, vllm(), 8192, on_gpu(24), 16 * kGiB);
  CHECK(c.utilization == 0.92);
  CHECK(c.requested_bytes == Approx(23708219473.92));  // 0.92 x 25769803776
  // Activation estimate: max(2 x 2048 x (3 x 14336 + 4 x 4096), 8 x 256 x 128256)
  //                   = max(243269632, 262668288).
  CHECK(c.activation_bytes == Approx(262668288.0));
  CHECK(c.non_torch_bytes == Approx(268435456.0));
  // 23708219473.92 - 17179869184 - 262668288 - 268435456
  CHECK(c.available_bytes == Approx(5997246545.92));
  // A page: 16 tokens x 8 KV heads x (128 + 128) x 2 bytes; 32 layers a block.
  CHECK(c.page_bytes == 65536);
  CHECK(c.layers_per_group == 32);
  CHECK(c.bytes_per_block == 2097152);
  CHECK(c.num_blocks == 2859);          // floor(5997246545.92 / 2097152)
  CHECK(c.blocks_per_request == 512);   // cdiv(8192, 16)
  CHECK(c.fits);
  CHECK(c.max_model_len_fit == 8192);
  CHECK(c.max_concurrency == Approx(2859.0 / 512.0));
  CHECK(c.kv_tokens == 45744);          // 5.583984375 x 8192
  CHECK(c.max_num_seqs == 256);
  CHECK(c.max_num_batched_tokens == 2048);
}

TEST_CASE("vLLM refuses a max_model_len one request of does not fit, and names the longest that does", "[vllm]") {
  const VllmCache c = vllm_cache(llama8b(), vllm(), 131072, on_gpu(24), 16 * kGiB);
  CHECK(c.blocks_per_request == 8192);  // cdiv(131072, 16): 16 GiB of blocks
  CHECK_FALSE(c.fits);
  // Usable: 5997246545.92 less the null block = 5995149393.92 = 2858.67 blocks: 2858 x 16 tokens.
  CHECK(c.max_model_len_fit == 45728);
  // Nothing left at all: weights above the fraction.
  const VllmCache none = vllm_cache(llama8b(), vllm(), 8192, on_gpu(24), 22 * kGiB);
  CHECK_FALSE(none.fits);
  CHECK(none.num_blocks == 0);
  CHECK(none.max_model_len_fit == 0);
}

TEST_CASE("vLLM's fp8 KV cache halves the page; gpu_memory_utilization moves the fraction", "[vllm]") {
  Serving s = on_gpu(24);
  s.kv_type_k = s.kv_type_v = "fp8";
  VllmCache c = vllm_cache(llama8b(), vllm(), 8192, s, 16 * kGiB);
  CHECK(c.page_bytes == 32768);
  CHECK(c.num_blocks == 5719);  // floor(5997246545.92 / 1048576)
  s = on_gpu(24);
  s.gpu_memory_utilization = 0.8;
  c = vllm_cache(llama8b(), vllm(), 8192, s, 16 * kGiB);
  CHECK(c.requested_bytes == Approx(20615843020.8));  // 0.8 x 25769803776
}

TEST_CASE("vLLM with tensor parallelism splits weights and KV heads per GPU", "[vllm]") {
  // 80 GiB, not an A100: batch 8192, 1024 sequences.
  const VllmCache c = vllm_cache(llama8b(), vllm(), 8192, on_gpu(80, 2), 16 * kGiB);
  CHECK(c.weights_bytes == Approx(8 * kGiB));
  CHECK(c.kv_heads_per_gpu == 4);
  CHECK(c.page_bytes == 32768);  // 16 x 4 x 256 x 2
  // max(2 x 8192 x (3 x 7168 + 4 x 4096), 8 x 1024 x 128256) = max(620756992, 1050673152)
  CHECK(c.activation_bytes == Approx(1050673152.0));
  // KV heads replicated below the GPU count: 8 KV heads on 16 GPUs keep 1 each.
  CHECK(vllm_kv_heads_per_gpu(llama8b(), 16) == 1);
}

TEST_CASE("vLLM's hybrid groups: sliding layers need a window's blocks, grouped by the smaller count", "[vllm]") {
  // Gemma-2-9B's shapes: 42 layers alternating sliding (4096) and full, 8 KV heads of 256.
  ModelInfo m = llama8b();
  m.layers = 42;
  m.kv_heads = 8;
  m.head_dim = 256;
  m.sliding_window = 4096;
  m.pattern = LayerPattern{2, {1}, false};
  const VllmCache c = vllm_cache(m, vllm(), 8192, on_gpu(24), 10 * kGiB);
  CHECK(c.layers_per_group == 21);       // 21 full, 21 sliding: groups of 21
  CHECK(c.page_bytes == 131072);         // 16 x 8 x 512 x 2
  CHECK(c.bytes_per_block == 2752512);   // 21 x 131072
  // One full group: cdiv(8192, 16) = 512; one sliding: cdiv(min(4095 + 2048, 8192), 16) + 1 = 385.
  CHECK(c.blocks_per_request == 897);
  // Gemma-3-27B's pattern: 62 layers, full every 6th: 10 full, 52 sliding -> groups of 10,
  // 1 full group and cdiv(52, 10) = 6 sliding ones.
  m.layers = 62;
  m.pattern = LayerPattern{6, {5}, false};
  m.sliding_window = 1024;
  const VllmCache g = vllm_cache(m, vllm(), 8192, on_gpu(24), 10 * kGiB);
  CHECK(g.layers_per_group == 10);
  CHECK(g.blocks_per_request == 512 + 6 * (192 + 1));  // cdiv(min(1023 + 2048, 8192), 16) = 192
}

TEST_CASE("vLLM caches MLA as one latent head", "[vllm]") {
  ModelInfo m = llama8b();
  m.mla = MlaInfo{512, 64, 128, 128};
  const VllmCache c = vllm_cache(m, vllm(), 4096, on_gpu(24), 4 * kGiB);
  CHECK(c.kv_heads_per_gpu == 1);
  CHECK(c.page_bytes == 18432);  // 16 x (512 + 64) x 2
}

TEST_CASE("An unknown GPU sizes only the blocks of the requests asked for", "[vllm]") {
  const VllmCache c = vllm_cache(llama8b(), vllm(), 8192, on_gpu(0), 16 * kGiB);
  CHECK(c.gpu_bytes == 0);
  CHECK(c.num_blocks == 512);
  CHECK(c.fits);
}

TEST_CASE("Safetensors weights of Qwen2.5-7B-Instruct, tensor by tensor", "[vllm]") {
  const ModelInfo* m = Catalog::builtin().find("qwen2.5-7b-instruct");
  REQUIRE(m);
  const QuantTables& qt = QuantTables::builtin();
  const WeightQuant bf16 = resolve_quant(qt, "bf16", Format::safetensors);
  REQUIRE(bf16.known);
  CHECK(bf16.hf_quant == "bf16");
  // Every tensor at 2 bytes: 7,615,616,512 parameters (28 layers of q/k/v (+ biases), o, gate, up,
  // down, 2 norms; untied embeddings and lm_head of 3584 x 152064; the final norm).
  const auto b16 = hf_weight_bytes(*m, bf16);
  REQUIRE(b16);
  CHECK(*b16 == Approx(2.0 * 7615616512.0));
  // AWQ int4, group 128, a layer: q and o 6673408 B each (12845056 / 2 + 28 x 3584 x 2.5), k and v
  // 953344 each, gate, up and down 35273728 each (67895296 / 2 + 28 x 18944 x 2.5, 148 x 3584 x
  // 2.5), norms and biases 23552 B at 16 bits: 121098240 B; x 28, + 2 x 3584 x 152064 x 2 B of
  // embeddings and lm_head + 7168 B of final norm = 5570747392 B.
  const WeightQuant awq = resolve_quant(qt, "awq", Format::safetensors);
  CHECK(awq.hf_group == 128);
  CHECK(awq.bits_class == 4);
  const auto b4 = hf_weight_bytes(*m, awq);
  REQUIRE(b4);
  CHECK(*b4 == Approx(5570747392.0));
  // GPTQ adds g_idx, one int32 a matrix row of input: (3584 x 6 + 18944) x 4 B a layer.
  const auto bg = hf_weight_bytes(*m, resolve_quant(qt, "gptq", Format::safetensors));
  REQUIRE(bg);
  CHECK(*bg == Approx(5570747392.0 + 28.0 * (3584.0 * 6 + 18944.0) * 4));
  // FP8: a byte a linear weight, the rest 16-bit.
  const auto b8 = hf_weight_bytes(*m, resolve_quant(qt, "fp8", Format::safetensors));
  REQUIRE(b8);
  CHECK(*b8 == Approx(2.0 * 7615616512.0 - 28.0 * (2 * 12845056.0 + 2 * 1835008.0 + 3 * 67895296.0)));
}

TEST_CASE("GGUF and MLX names on a safetensors route mean the nearest vLLM checkpoint", "[vllm]") {
  const QuantTables& qt = QuantTables::builtin();
  CHECK(resolve_quant(qt, "Q4_K_M", Format::safetensors).hf_quant == "awq");
  CHECK(resolve_quant(qt, "Q4_K_M", Format::safetensors).mapped);
  CHECK(resolve_quant(qt, "Q8_0", Format::safetensors).hf_quant == "fp8");
  CHECK(resolve_quant(qt, "8bit", Format::safetensors).hf_quant == "fp8");
  CHECK(resolve_quant(qt, "F16", Format::safetensors).hf_quant == "fp16");  // F16 is fp16 by name
  CHECK(resolve_quant(qt, "BF16", Format::safetensors).hf_quant == "bf16");
  CHECK(resolve_quant(qt, "Q4_0", Format::safetensors).hf_quant == "awq");
  CHECK(resolve_quant(qt, "fp16", Format::safetensors).hf_quant == "fp16");
  CHECK_FALSE(resolve_quant(qt, "Q6_K", Format::safetensors).known);  // no 6-bit vLLM checkpoint
  CHECK_FALSE(resolve_quant(qt, "Q3_K_M", Format::safetensors).known);
  // The existing formats resolve as before.
  CHECK(resolve_quant(qt, "Q4_K_M", Format::gguf).hf_quant.empty());
  CHECK(resolve_quant(qt, "4bit", Format::mlx).hf_quant.empty());
}

TEST_CASE("A vLLM route's plan: what vLLM takes of each GPU, split per tensor-parallel GPU", "[vllm]") {
  const std::string text = R"(hardware:
  total_ram_gb: 512
  os_reserve_percent: 22
  architecture: linux_nvidia
  gpu_vram_gb: 80
inference:
  preferred_format: GGUF
  quantization: bf16
  max_context_tokens: 8192
routing:
  code:
    model: llama-3.1-8b-instruct
    runtime: vllm
  split:
    model: llama-3.1-8b-instruct
    runtime: vllm
    tensor_parallel: 2
    parallel: 8
)";
  LoadResult loaded = parse_yaml(std::string(PLANNER_SOURCE_DIR) + "/tests/data/config.yaml", text);
  REQUIRE(loaded.ok());
  const Analysis a = analyze(loaded.doc);
  const RouteAnalysis* one = a.route("code");
  REQUIRE(one);
  REQUIRE(one->memory);
  REQUIRE(one->memory->vllm);
  CHECK(one->route->runtime->id == "vllm");
  CHECK(one->route->format == Format::safetensors);
  const VllmCache& v = *one->memory->vllm;
  CHECK(v.gpu_bytes == Approx(80 * kGiB));
  CHECK(v.fits);
  // Weights, activations, non-torch memory and whole blocks: the fraction less under one block.
  CHECK(one->memory->total() <= v.requested_bytes);
  CHECK(one->memory->total() > v.requested_bytes - static_cast<double>(v.bytes_per_block));
  REQUIRE(one->devices.size() == 1);
  CHECK(one->devices[0].device == "gpu0");
  const RouteAnalysis* two = a.route("split");
  REQUIRE(two);
  REQUIRE(two->memory->vllm);
  CHECK(two->memory->vllm->tensor_parallel == 2);
  CHECK(two->memory->vllm->max_num_seqs == 8);
  REQUIRE(two->devices.size() == 2);
  CHECK(two->devices[1].device == "gpu1");
  CHECK(two->devices[0].total() <= two->memory->vllm->requested_bytes);
  CHECK(two->devices[0].weights_bytes == Approx(one->memory->weights_bytes / 2));
}
