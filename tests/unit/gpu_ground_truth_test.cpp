// What llama-server allocated on an NVIDIA H200 (tests/data/llama-cpp-gpu-ground-truth.json, written by
// bench/accuracy/collect_gpu.py from bench/accuracy/logs/gpu/; bench/accuracy/README.md, section
// "llama-server on an NVIDIA GPU"). These tests hold the file to itself and to the CPU measurements, so
// that the per-device estimator built later has a consistent target. The bounds are the measured ranges.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

namespace {

using nlohmann::json;

constexpr double kMiB = 1024.0 * 1024.0;
constexpr double kPrinted = 0.005 * kMiB;  // llama.cpp prints MiB with 2 decimals

json load(const std::string& rel) {
  std::ifstream in(std::string(PLANNER_SOURCE_DIR) + "/" + rel);
  REQUIRE(in);
  return json::parse(in);
}

const json& gpu_cases() {
  static const json data = load("tests/data/llama-cpp-gpu-ground-truth.json");
  return data.at("cases");
}

bool has_flag(const json& c, const std::string& flag) {
  for (const auto& f : c.at("flags")) {
    if (f.get<std::string>() == flag) return true;
  }
  return false;
}

// Bytes of one tensor in make_gguf.py's list (bench/accuracy/logs/MODEL.q4_k_m.tensors.tsv).
double tensor_bytes(const std::string& model, const std::string& name) {
  std::ifstream in(std::string(PLANNER_SOURCE_DIR) + "/bench/accuracy/logs/" + model + ".q4_k_m.tensors.tsv");
  REQUIRE(in);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream row(line);
    std::string tname, shape, type, bytes;
    std::getline(row, tname, '\t');
    std::getline(row, shape, '\t');
    std::getline(row, type, '\t');
    std::getline(row, bytes, '\t');
    if (tname == name) return std::stod(bytes);
  }
  FAIL("no tensor " << name << " for " << model);
  return 0;
}

}  // namespace

TEST_CASE("GPU ground truth: every case loaded on an otherwise empty GPU, readings repeatable", "[gpu_truth]") {
  const auto& cases = gpu_cases();
  REQUIRE(cases.size() >= 60);
  int with_buffers = 0;
  for (const auto& c : cases) {
    INFO(c.at("case").get<std::string>());
    CHECK(c.at("loaded").get<bool>());
    CHECK(c.at("nvidia_smi_before_mib").get<int>() == 0);
    // nvidia-smi's per-process figure sat exactly 9 MiB under memory.used in every case
    CHECK(c.at("nvidia_smi_used_mib").get<int>() - c.at("nvidia_smi_process_mib").get<int>() == 9);
    if (c.contains("nvidia_smi_used_mib_runs")) {
      for (const auto& r : c.at("nvidia_smi_used_mib_runs")) CHECK(r.get<int>() == c.at("nvidia_smi_used_mib").get<int>());
    }
    if (c.contains("buffers_mib")) ++with_buffers;
  }
  CHECK(with_buffers >= 30);
}

TEST_CASE("GPU ground truth: nvidia-smi = CUDA0 buffers + a fixed unattributed part", "[gpu_truth]") {
  for (const auto& c : gpu_cases()) {
    if (!c.contains("buffers_mib")) continue;
    INFO(c.at("case").get<std::string>());
    const double buffers = c.at("cuda0_buffers_mib").get<double>();
    const double sum = c.at("cuda0_model_mib").get<double>() + c.at("cuda0_kv_mib").get<double>() +
                       c.at("cuda0_compute_mib").get<double>();
    CHECK(std::abs(buffers - sum) < 0.011);
    const double unattributed = c.at("unattributed_mib").get<double>();
    CHECK(std::abs(c.at("nvidia_smi_used_mib").get<int>() - buffers - unattributed) < 0.011);
    // measured: 596.18-598.59 MiB with any layer on the GPU, 527.50-533.00 with -ngl 0
    if (c.at("layers_on_gpu").get<int>() > 0) {
      CHECK(unattributed >= 596.0);
      CHECK(unattributed <= 599.0);
    } else {
      CHECK(unattributed >= 527.0);
      CHECK(unattributed <= 534.0);
    }
    // llama.cpp's own table truncates to whole MiB and reads cudaMemGetInfo, 1 MiB under nvidia-smi here
    const auto& bd = c.at("breakdown_cuda0");
    CHECK(bd.at("model").get<int>() == static_cast<int>(c.at("cuda0_model_mib").get<double>()));
    CHECK(std::abs(bd.at("self").get<int>() - buffers) <= 1.0);
    CHECK(std::abs(bd.at("unaccounted").get<int>() - unattributed) <= 2.0);
    CHECK(bd.at("total").get<int>() - bd.at("free").get<int>() == c.at("nvidia_smi_used_mib").get<int>() - 1);
  }
}

TEST_CASE("GPU ground truth: weights split between CUDA0 and the host mapping add up to the file", "[gpu_truth]") {
  // tensor data of the same generated files, measured on the CPU (tests/data/llama-cpp-ground-truth.json)
  std::map<std::string, double> tensor_data;
  const json cpu = load("tests/data/llama-cpp-ground-truth.json");
  for (const auto& c : cpu.at("cases")) {
    tensor_data[c.at("model").get<std::string>()] = c.at("tensor_data_bytes").get<double>();
  }
  // Models measured only on the GPU: the tensor data make_gguf.py reported as it wrote the file on
  // the device ("PATH/MODEL.q4_k_m.gguf<TAB>file N B<TAB>tensor data N B ...").
  std::ifstream listed(std::string(PLANNER_SOURCE_DIR) + "/bench/accuracy/logs/gpu-alloc-check/models.txt");
  REQUIRE(listed);
  for (std::string line; std::getline(listed, line);) {
    const auto slash = line.rfind('/', line.find(".q4_k_m.gguf")), dot = line.find(".q4_k_m.gguf");
    const auto at = line.find("tensor data ");
    if (dot == std::string::npos || at == std::string::npos) continue;
    tensor_data.emplace(line.substr(slash + 1, dot - slash - 1), std::stod(line.substr(at + 12)));
  }
  for (const auto& c : gpu_cases()) {
    if (!c.contains("buffers_mib")) continue;
    const std::string model = c.at("model").get<std::string>();
    INFO(c.at("case").get<std::string>());
    const auto& host = c.at("host_buffers_mib");
    const double mapped = host.at("CPU_Mapped model").get<double>();
    REQUIRE(tensor_data.count(model) == 1);
    // no CPU_REPACK buffer on this CUDA build, -ngl 0 included
    CHECK_FALSE(host.contains("CPU_REPACK model"));
    const double sum = (c.at("cuda0_model_mib").get<double>() + mapped) * kMiB;
    const double data = tensor_data.at(model);
    const double embd = tensor_bytes(model, "token_embd.weight");
    const int on_gpu = c.at("layers_on_gpu").get<int>();
    const bool experts_on_host = has_flag(c, "--cpu-moe") || has_flag(c, "--n-cpu-moe");
    if (on_gpu == 0) {
      CHECK(std::abs(mapped * kMiB - data) <= kPrinted);
    } else if (on_gpu == c.at("layers_total").get<int>() && !experts_on_host) {
      // token_embd stays in host memory with every layer on the GPU; gemma-2's tied output is a GPU copy
      // of it (TENSOR_DUPLICATED, src/models/gemma2.cpp:37), so there the embedding is held twice
      CHECK(std::abs(mapped * kMiB - embd) <= kPrinted);
      const double twice = model == "gemma-2-9b-it" ? embd : 0.0;
      CHECK(std::abs(sum - data - twice) <= 2 * kPrinted);
    } else {
      // the host mapping is a file range (first to last tensor left on the host), so it overlaps the GPU copy
      CHECK(sum > data);
    }
  }
}

TEST_CASE("GPU ground truth: KV buffers are the caches llama.cpp listed, and slots split -c", "[gpu_truth]") {
  for (const auto& c : gpu_cases()) {
    INFO(c.at("case").get<std::string>());
    // llama-server caps a slot at the model's training context (gemma-2 8192, phi-3 4096); the cache keeps -c cells
    const int ctx = c.at("context").get<int>();
    const int cap = c.value("slot_capped_to_n_ctx_train", ctx);
    int np = 0;
    const auto& flags = c.at("flags");
    for (size_t i = 0; i + 1 < flags.size(); ++i) {
      if (flags[i] == "-np") np = std::stoi(flags[i + 1].get<std::string>());
    }
    if (np == 0) {  // -np not given: 4 slots sharing one pool of -c cells
      CHECK(c.at("n_slots").get<int>() == 4);
      CHECK(c.at("kv_unified").get<bool>());
      CHECK(c.at("n_ctx_slot").get<int>() == std::min(ctx, cap));
    } else if (has_flag(c, "-kvu") || np == 1) {
      CHECK(c.at("n_slots").get<int>() == np);
      CHECK(c.at("n_ctx_slot").get<int>() == std::min(ctx, cap));
    } else {
      CHECK(c.at("n_slots").get<int>() == np);
      CHECK_FALSE(c.at("kv_unified").get<bool>());
      CHECK(c.at("n_ctx_slot").get<int>() == std::min(ctx / np, cap));
    }
    if (!c.contains("buffers_mib")) continue;
    double listed = 0;
    for (const auto& kv : c.at("kv_caches")) listed += kv.at("mib").get<double>();
    const auto& host = c.at("host_buffers_mib");
    const double cpu_kv = host.contains("CPU KV") ? host.at("CPU KV").get<double>() : 0.0;
    CHECK(std::abs(c.at("cuda0_kv_mib").get<double>() + cpu_kv - listed) < 0.011);
  }
}
