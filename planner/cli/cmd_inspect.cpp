// `planner inspect FILE.gguf|DIR`: what a model file or MLX / Hugging Face directory holds
// (architecture, parameters, bytes per tensor type, KV geometry) and what it needs in memory at a
// context on its runtime (llama.cpp for GGUF, mlx-lm for a directory), with the weights at their
// exact tensor bytes. Only headers are read.
#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "core/json_text.h"
#include "core/text.h"
#include "estimate/memory.h"
#include "modelfile/load_model.h"
#include "resolve/quant.h"

namespace planner::cli {

namespace {

struct InspectArgs {
  std::string file;
  long long context = 4096;
  std::string kv_type = "f16";
  std::string format = "text";
};

// The engine a model file runs on: its format's default runtime.
const Runtime& runtime_of(const ModelFileInfo& info) {
  return default_runtime(info.format == "GGUF" ? Format::gguf : Format::mlx);
}

std::string layer_summary(const ModelInfo& m, const MemoryEstimate& e) {
  std::string s = fmt::format("{} layers", m.layers);
  if (e.sliding_layers) s += fmt::format(", {} sliding-window ({} tokens)", e.sliding_layers, m.sliding_window);
  if (e.linear_layers) s += fmt::format(", {} linear-attention (fixed state)", e.linear_layers);
  return s;
}

void print_text(const ModelFileInfo& info, int gguf_version, const MemoryEstimate& e, const InspectArgs& a) {
  const ModelInfo& m = info.model;
  auto row = [](std::string_view label, const std::string& value) { std::cout << fmt::format("  {:<19}{}\n", label, value); };
  std::string kind = gguf_version ? fmt::format("GGUF v{}", gguf_version) : info.format + " directory";
  std::cout << fmt::format("{}: {}, {} tensors, {} on disk\n", shown_text(info.path), kind, info.tensor_count,
                           gib(static_cast<double>(info.file_bytes)));
  row("architecture", m.id.empty() ? shown_value(info.architecture)
                                   : fmt::format("{} ({})", shown_value(info.architecture), shown_value(m.id)));
  std::string params = billions(m.params_total);
  if (m.is_moe()) params += fmt::format(" ({} active: {} experts, {} per token)", billions(m.params_active), m.moe->experts,
                                        m.moe->experts_per_token);
  row("parameters", params);
  row("file type", info.file_type.empty() ? "(not stated)" : shown_value(info.file_type));
  row("weights", fmt::format("{} ({:.2f} bits per weight)", gib(static_cast<double>(info.weights_bytes)),
                             file_weight_quant(info).bpw));
  for (const auto& [type, bytes] : info.bytes_by_type)
    std::cout << fmt::format("    {:<9}{:>12}  {:>4} tensors\n", shown_value(type), gib(static_cast<double>(bytes)),
                             info.tensors_by_type.at(type));
  row("trained context", fmt::format("{}", m.context_trained));
  row("layers", fmt::format("{}, embedding {}, vocabulary {}", layer_summary(m, e), m.hidden_size, m.vocab));
  std::string attn = fmt::format("{} heads, {} KV heads, key/value length {}/{}", m.attention_heads, m.kv_heads,
                                 info.key_length ? info.key_length : m.head_dim,
                                 info.value_length ? info.value_length : m.head_dim);
  if (m.mla)
    attn = fmt::format("MLA: latent {} + rope {} cached per token (heads {}, nope {}, value {})", m.mla->kv_lora_rank,
                       m.mla->qk_rope_head_dim, m.attention_heads, m.mla->qk_nope_head_dim, m.mla->v_head_dim);
  row("attention", attn);
  if (m.sliding_window_ignored || (info.format != "GGUF" && m.sliding_window_ignored_by_mlx))
    row("sliding window", fmt::format("{} declared, not applied by {} (full context cached)", m.sliding_window,
                                      runtime_of(info).name));
  std::cout << fmt::format("  memory at {} tokens on {} ({} KV cache):\n", a.context, runtime_of(info).name,
                           shown_value(a.kv_type));
  row("  weights", gib(e.weights_bytes));
  row("  KV cache", fmt::format("{} ({} layers hold one)", gib(e.kv_bytes), e.kv_layers));
  if (e.state_bytes > 0) row("  recurrent state", gib(e.state_bytes));
  row("  overhead", gib(e.overhead_bytes));
  row("  total", gib(e.total()));
  for (const auto& w : info.warnings) std::cout << fmt::format("  note: {}\n", shown_text(w));
}

void print_json(const ModelFileInfo& info, int gguf_version, const MemoryEstimate& e, const InspectArgs& a) {
  using nlohmann::ordered_json;
  const ModelInfo& m = info.model;
  // Byte figures as JSON integers; one at 2^64 or more (a header at the readers' limits can claim
  // 10,000 layers of 65,536 KV heads) stays a floating-point number: casting it is undefined.
  auto as_u64 = [](double v) {
    return v >= 0 && v + 0.5 < 18446744073709551616.0 ? ordered_json(static_cast<std::uint64_t>(v + 0.5)) : ordered_json(v);
  };
  ordered_json j;
  j["file"] = info.path;
  j["format"] = info.format;
  j["gguf_version"] = gguf_version;  // 0 for a directory
  j["file_bytes"] = info.file_bytes;
  j["architecture"] = info.architecture;
  j["name"] = m.id;
  j["file_type"] = info.file_type;
  j["parameters"] = info.parameters;
  j["parameters_active"] = as_u64(m.params_active);
  j["tensor_count"] = info.tensor_count;
  j["weights_bytes"] = info.weights_bytes;
  j["bytes_by_type"] = info.bytes_by_type;
  j["tensors_by_type"] = info.tensors_by_type;
  j["context_trained"] = m.context_trained;
  j["layers"] = m.layers;
  j["embedding_length"] = m.hidden_size;
  j["vocab_size"] = m.vocab;
  j["attention_heads"] = m.attention_heads;
  j["kv_heads"] = m.kv_heads;
  j["key_length"] = info.key_length ? info.key_length : m.head_dim;
  j["value_length"] = info.value_length ? info.value_length : m.head_dim;
  j["sliding_window"] = m.sliding_window;
  j["sliding_window_applied"] = m.sliding_window > 0 && !m.sliding_window_ignored &&
                                !(info.format != "GGUF" && m.sliding_window_ignored_by_mlx);
  j["tied_embeddings"] = m.tied_embeddings;
  j["experts"] = m.moe ? m.moe->experts : 0;
  j["experts_per_token"] = m.moe ? m.moe->experts_per_token : 0;
  if (m.mla)
    j["mla"] = {{"kv_lora_rank", m.mla->kv_lora_rank},
                {"qk_rope_head_dim", m.mla->qk_rope_head_dim},
                {"qk_nope_head_dim", m.mla->qk_nope_head_dim},
                {"v_head_dim", m.mla->v_head_dim}};
  j["kv_layers"] = e.kv_layers;
  j["sliding_layers"] = e.sliding_layers;
  j["linear_layers"] = e.linear_layers;
  j["estimate"] = {{"runtime", std::string(runtime_of(info).name)},
                   {"context", a.context},
                   {"kv_cache_type", a.kv_type},
                   {"weights_bytes", info.weights_bytes},
                   {"kv_cache_bytes", as_u64(e.kv_bytes)},
                   {"state_bytes", as_u64(e.state_bytes)},
                   {"overhead_bytes", as_u64(e.overhead_bytes)},
                   {"total_bytes", as_u64(e.total())}};
  j["warnings"] = info.warnings;
  std::cout << json_text(j) << '\n';
}

int run_inspect(const InspectArgs& a) {
  const QuantTables& tables = QuantTables::builtin();
  const KvCacheType* kv = tables.kv_type(a.kv_type);
  if (!kv) {
    std::cerr << fmt::format("planner: error: unknown KV cache type '{}'\n", shown_value(a.kv_type));
    return kExitUsage;
  }
  ModelLoad load = load_model_file(a.file);
  if (!load.info) {
    // Errors from a model directory's files name the file already.
    const bool named = load.error.rfind(a.file + ":", 0) == 0;
    std::cerr << fmt::format("planner: error: {}{}\n", named ? "" : shown_text(a.file) + ": ", shown_text(load.error));
    return kExitUsage;
  }
  const ModelFileInfo& info = *load.info;
  MemoryEstimate e = estimate_memory(info.model, file_weight_quant(info), runtime_of(info), a.context, kv->bytes_per_element);
  e.weights_bytes = static_cast<double>(info.weights_bytes);  // exact, not params x bpw
  if (a.format == "json") print_json(info, load.gguf_version, e, a);
  else print_text(info, load.gguf_version, e, a);
  return kExitOk;
}

}  // namespace

Command add_inspect(CLI::App& app) {
  auto args = std::make_shared<InspectArgs>();
  auto* cmd = app.add_subcommand("inspect",
                                 "read a model's headers (GGUF file or MLX/HF directory): architecture, weights, KV cache, memory");
  cmd->add_option("file", args->file, "a .gguf file or a model directory (only headers are read)")->required();
  cmd->add_option("--context", args->context, "context in tokens for the memory estimate (default 4096)")
      ->check(CLI::Range(1LL, 1LL << 24));
  cmd->add_option("--kv-type", args->kv_type, "KV cache type: f16, q8_0, q4_0... (default f16)");
  cmd->add_option("--format", args->format, "output format")->check(CLI::IsMember({"text", "json"}));
  return {cmd, [args] { return run_inspect(*args); }};
}

}  // namespace planner::cli
