#pragma once
// Cluster configs more than one test file reads.

namespace planner::testing {

// A Mac and a Linux box with two RTX 3090s splitting Llama 3.3 70B under llama.cpp RPC.
inline constexpr const char* kMacAndTwoGpuBox = R"(hardware: &mac {total_ram_gb: 64, architecture: apple_silicon, chip: M2 Max}
inference: {preferred_format: GGUF, quantization: Q4_K_M, max_context_tokens: 8192}
routing:
  r: {model: llama-3.3-70b-instruct}
cluster:
  hosts:
    - {name: mac, hardware: *mac}
    - {name: box, hardware: {total_ram_gb: 32, architecture: linux_nvidia, gpus: [{chip: RTX 3090}, {chip: RTX 3090}]}}
  routes:
    r: {engine: llama.cpp-rpc}
)";

}  // namespace planner::testing
