// libFuzzer entry point for planner::fuzz::hf_config (fuzz/targets.h).
#include <cstddef>
#include <cstdint>

#include "fuzz/targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  planner::fuzz::hf_config({reinterpret_cast<const char*>(data), size});
  return 0;
}
