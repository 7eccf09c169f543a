// libFuzzer entry point for planner::fuzz::safetensors_header (fuzz/targets.h).
#include <cstddef>
#include <cstdint>

#include "fuzz/targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  planner::fuzz::safetensors_header({reinterpret_cast<const char*>(data), size});
  return 0;
}
