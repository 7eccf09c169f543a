// The launch stage: shell quoting, and the commands chosen per route (download vs convert,
// llama-server flags, ports, the wired-limit line) for small configs written here.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "estimate/analysis.h"
#include "launch/plan.h"
#include "launch/quote.h"
#include "support/gguf_models.h"
#include "support/launch_plan.h"

using namespace planner;

namespace {

const std::string kMac16 = R"(hardware:
  total_ram_gb: 16
  os_reserve_percent: 22
  architecture: apple_silicon
inference:
  preferred_format: MLX
  quantization: Q4_K_M
  max_context_tokens: 8192
routing:
)";
}  // namespace

TEST_CASE("shell_quote: safe words bare, everything else single-quoted", "[launch]") {
  CHECK(shell_quote("models/code-1.gguf") == "models/code-1.gguf");
  CHECK(shell_quote("iogpu.wired_limit_mb=12288") == "iogpu.wired_limit_mb=12288");
  CHECK(shell_quote("") == "''");
  CHECK(shell_quote("a b") == "'a b'");
  CHECK(shell_quote("$(touch x)") == "'$(touch x)'");
  CHECK(shell_quote("it's") == "'it'\\''s'");
  CHECK(shell_quote("*.gguf") == "'*.gguf'");
  CHECK(shell_quote("~/m") == "'~/m'");
  CHECK(shell_quote("a\nb") == "'a\nb'");
}

TEST_CASE("launch: prebuilt MLX artifact is downloaded, then served on 8080 + index", "[launch]") {
  auto p = plan_of(kMac16 + "  quick:\n    model: qwen3.5-9b\n  second:\n    model: llama-3.2-3b-instruct\n");
  REQUIRE(p->plan.routes.size() == 2);
  const RouteLaunch& r = p->plan.routes[1];
  CHECK(r.skipped.empty());
  CHECK(line_of(r, StepKind::download) ==
        "hf download --local-dir models/second -- mlx-community/Llama-3.2-3B-Instruct-4bit");
  CHECK(line_of(r, StepKind::serve) == "mlx_lm.server --model models/second --host 127.0.0.1 --port 8081");
  CHECK(line_of(r, StepKind::convert).empty());
  // No resident_routes: only the first route stays up after validation.
  CHECK(p->plan.routes[0].serve);
  CHECK_FALSE(r.serve);
  CHECK_FALSE(p->plan.wired_limit);  // 5.4 GiB fits the 10.67 GiB default
}

TEST_CASE("launch: a group size other than 64 has no prebuilt conversion", "[launch]") {
  auto p = plan_of(kMac16 + "  quick:\n    model: qwen3.5-9b\n    quantization: 4bit-g32\n");
  CHECK(line_of(p->plan.routes[0], StepKind::convert) ==
        "mlx_lm.convert --hf-path Qwen/Qwen3.5-9B --mlx-path models/quick -q --q-bits 4 --q-group-size 32");
  CHECK(line_of(p->plan.routes[0], StepKind::download).empty());
}

TEST_CASE("launch: over the default wired limit -> sysctl with RAM less the OS reserve", "[launch]") {
  auto p = plan_of(kMac16 + "  code:\n    model: deepseek-v2-lite\n");
  REQUIRE(p->plan.wired_limit);
  // 16 GiB x 0.78 = 12779.52 MiB
  CHECK(render_step(*p->plan.wired_limit) == "sudo sysctl iogpu.wired_limit_mb=12779");
}

TEST_CASE("launch: GGUF prebuilt, quantized KV cache turns flash attention on", "[launch]") {
  auto p = plan_of(R"(hardware:
  total_ram_gb: 32
  architecture: linux_nvidia
inference:
  preferred_format: GGUF
  quantization: Q4_K_M
  max_context_tokens: 4096
  kv_cache_type: q8_0
routing:
  chat:
    model: llama-3.1-8b-instruct
)");
  const RouteLaunch& r = p->plan.routes[0];
  CHECK(line_of(r, StepKind::download) ==
        "hf download --include '*Q4_K_M*.gguf' --include '*q4_k_m*.gguf' --local-dir models/chat -- "
        "bartowski/Meta-Llama-3.1-8B-Instruct-GGUF");
  CHECK(line_of(r, StepKind::locate) ==
        "model_file_0=$(find models/chat -type f -iname '*q4_k_m*.gguf' | LC_ALL=C sort | head -n 1)");
  CHECK(line_of(r, StepKind::serve) ==
        "llama-server -m \"$model_file_0\" -c 4096 -ngl all -fa on -ctk q8_0 -ctv q8_0 --host 127.0.0.1 --port 8080");
  CHECK_FALSE(p->plan.wired_limit);
}

TEST_CASE("launch: no prebuilt GGUF -> download, convert to f16, quantize; CPU gets -ngl 0", "[launch]") {
  auto p = plan_of(R"(hardware:
  total_ram_gb: 32
  architecture: cpu
inference:
  preferred_format: GGUF
  quantization: Q5_K_M
  max_context_tokens: 4096
routing:
  chat:
    model: llama-3.1-8b-instruct
)",
                   LaunchOptions{"cfg dir", "", 9000});
  const RouteLaunch& r = p->plan.routes[0];
  CHECK(line_of(r, StepKind::download) ==
        "hf download --local-dir 'cfg dir/models/chat/hf' -- meta-llama/Llama-3.1-8B-Instruct");
  CHECK(line_of(r, StepKind::convert) ==
        "python3 \"${LLAMA_CPP_DIR}\"/convert_hf_to_gguf.py 'cfg dir/models/chat/hf' --outfile "
        "'cfg dir/models/chat/llama-3.1-8b-instruct-f16.gguf' --outtype f16");
  CHECK(line_of(r, StepKind::quantize) ==
        "llama-quantize 'cfg dir/models/chat/llama-3.1-8b-instruct-f16.gguf' "
        "'cfg dir/models/chat/llama-3.1-8b-instruct-Q5_K_M.gguf' Q5_K_M");
  CHECK(line_of(r, StepKind::serve) ==
        "llama-server -m 'cfg dir/models/chat/llama-3.1-8b-instruct-Q5_K_M.gguf' -c 4096 -ngl 0 -fa auto -ctk f16 "
        "-ctv f16 --host 127.0.0.1 --port 9000");
  CHECK(p->plan.needs_llama_cpp_dir);
  CHECK(std::find(p->plan.tools.begin(), p->plan.tools.end(), "llama-quantize") != p->plan.tools.end());
}

TEST_CASE("launch: Q8_0 converts straight to q8_0; imatrix recipes are skipped", "[launch]") {
  const std::string head = R"(hardware:
  total_ram_gb: 32
  architecture: linux_nvidia
inference:
  preferred_format: GGUF
  max_context_tokens: 4096
routing:
  chat:
    model: qwen2.5-14b
    quantization: )";  // no published GGUF of it: planner converts
  auto q8 = plan_of(head + "Q8_0\n");
  CHECK(line_of(q8->plan.routes[0], StepKind::quantize).empty());
  CHECK(line_of(q8->plan.routes[0], StepKind::convert).find("--outtype q8_0") != std::string::npos);
  auto iq = plan_of(head + "IQ2_XS\n");
  CHECK(iq->plan.routes[0].skipped.find("importance matrix") != std::string::npos);
  CHECK(iq->plan.routes[0].steps.empty());
}

TEST_CASE("launch: MXFP4 is quantized as MXFP4_MOE; an Unsloth UD quant cannot be made here", "[launch]") {
  const std::string head = R"(hardware:
  total_ram_gb: 32
  architecture: linux_nvidia
inference:
  preferred_format: GGUF
  max_context_tokens: 4096
routing:
  chat:
    model: llama-3.1-8b-instruct
    quantization: )";
  auto mx = plan_of(head + "MXFP4\n");
  CHECK(line_of(mx->plan.routes[0], StepKind::quantize) ==
        "llama-quantize models/chat/llama-3.1-8b-instruct-f16.gguf models/chat/llama-3.1-8b-instruct-MXFP4.gguf "
        "MXFP4_MOE");
  auto ud = plan_of(head + "UD-Q4_K_XL\n");
  CHECK(ud->plan.routes[0].skipped ==
        "no prebuilt UD-Q4_K_XL GGUF in the catalog, and llama-quantize cannot make one (Unsloth's own per-layer "
        "recipe): give the unsloth GGUF repo as models: gguf_repo, or a llama-quantize type such as Q4_K_M");
  CHECK(ud->plan.routes[0].steps.empty());
}

TEST_CASE("launch: route keys become safe directory names; unknown models are skipped", "[launch]") {
  auto p = plan_of(kMac16 + "  \"a b/../$(x)\":\n    model: qwen3.5-9b\n  other:\n    model: no-such-model\n");
  CHECK(line_of(p->plan.routes[0], StepKind::serve) ==
        "mlx_lm.server --model models/a_b_.____x_ --host 127.0.0.1 --port 8080");
  CHECK(p->plan.routes[1].skipped.find("not in the catalog") != std::string::npos);
}

TEST_CASE("launch: a route naming a GGUF file serves it in place, nothing downloaded", "[launch]") {
  const auto dir = std::filesystem::temp_directory_path() / "planner-launch-test";
  std::filesystem::create_directories(dir);
  {
    std::ofstream f(dir / "tiny.gguf", std::ios::binary);
    const std::string bytes = planner::testing::tiny_llama().bytes();
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  auto p = plan_of(R"(hardware:
  total_ram_gb: 32
  architecture: linux_nvidia
inference:
  preferred_format: GGUF
  max_context_tokens: 256
routing:
  chat:
    model: ./tiny.gguf
)",
                   LaunchOptions{"cfg", "", 8080}, (dir / "test.yaml").string());
  const RouteLaunch& r = p->plan.routes[0];
  REQUIRE(r.skipped.empty());
  REQUIRE(r.steps.size() == 1);
  CHECK(render_step(r.steps[0]) ==
        "llama-server -m cfg/tiny.gguf -c 256 -ngl all -fa auto -ctk f16 -ctv f16 --host 127.0.0.1 --port 8080");
  std::filesystem::remove_all(dir);
}
