#pragma once
// The two engines tests size against, by id (runtime/registry.cpp): a test that means llama.cpp
// says so, rather than naming a file format.
#include "runtime/runtime.h"

namespace planner::test {

inline const Runtime& llama_cpp() { return *find_runtime("llama.cpp"); }
inline const Runtime& mlx_lm() { return *find_runtime("mlx-lm"); }

}  // namespace planner::test
