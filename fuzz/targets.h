#pragma once
// What each fuzz target does with one input, shared by the libFuzzer harnesses (fuzz/*_fuzz.cpp)
// and the regression test that replays fuzz/regressions/ in every build
// (tests/unit/fuzz_regressions_test.cpp). Each must return normally for any bytes: a crash, a
// sanitizer report, an uncaught exception or a hang is a bug.
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "check/check.h"
#include "estimate/memory.h"
#include "modelfile/gguf.h"
#include "modelfile/gguf_model.h"
#include "modelfile/hf_config.h"
#include "modelfile/load_model.h"
#include "modelfile/safetensors.h"
#include "render/render.h"
#include "resolve/quant.h"

namespace planner::fuzz {

// A config file through the whole `check` pipeline (load, schema, analysis, rules, suppressions)
// and every output format, as `planner check` runs them.
inline void check_config(std::string_view bytes) {
  std::vector<FileResult> results;
  results.push_back(check_text("fuzz.yaml", std::string(bytes)));
  std::ostringstream out;
  render_text(out, results, true);  // prints source lines and carets at each location
  render_json(out, results);
  render_sarif(out, results);
  render_github(out, results);
  summarize(results);
}

// A GGUF file through what `planner inspect FILE.gguf` does: the header reader (from memory, the
// same code as from a file), the model metadata and the memory estimate.
inline void inspect_gguf(std::string_view bytes) {
  gguf::ReadResult r = gguf::read_bytes(bytes);
  if (!r.ok()) return;
  try {
    ModelFileInfo info = model_info_from_gguf(r.file, "fuzz.gguf");
    const KvCacheType* kv = QuantTables::builtin().kv_type("f16");
    estimate_memory(info.model, file_weight_quant(info), *find_runtime("llama.cpp"), 4096, kv->bytes_per_element);
  } catch (const GgufModelError&) {  // a value out of its range: the documented way it refuses one
  }
}

// The JSON header of a .safetensors file (what follows the 8-byte length, which
// read_safetensors_header checks against the file size first). The file is taken to hold 1 MiB
// of data after the header, so data_offsets can be in range.
inline void safetensors_header(std::string_view bytes) {
  try {
    parse_safetensors_header(bytes, 8 + bytes.size() + (1u << 20), "fuzz.safetensors");
  } catch (const std::runtime_error&) {  // the documented way it refuses a header
  }
}

// The other JSON files of a model directory: config.json (and the estimate on the model it
// describes, as `planner inspect DIR` runs it) and model.safetensors.index.json.
inline void hf_config(std::string_view bytes) {
  try {
    HfConfig c = parse_hf_config(bytes, "config.json");
    WeightQuant q;
    q.bpw = 4.5;
    estimate_memory(c.model, q, *find_runtime("mlx-lm"), 4096, 2.0);
  } catch (const std::runtime_error&) {
  }
  try {
    parse_safetensors_index(bytes, "model.safetensors.index.json");
  } catch (const std::runtime_error&) {
  }
}

}  // namespace planner::fuzz
