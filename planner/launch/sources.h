#pragma once
// Where each emitted flag was read, at the commits in docs/launch.md's version table
// (/work/shared/docs/launch-flags.md has the full reading). A flag that is not cited here is not
// emitted.
namespace planner::launch_source {

inline constexpr const char* kMlxLm = "ml-explore/mlx-lm@d78bf58e21";
inline constexpr const char* kLlamaCpp = "ggml-org/llama.cpp@bb4caa7540";
inline constexpr const char* kHfHub = "huggingface/huggingface_hub@ee0a4510f4";

inline constexpr const char* kHfDownload =
    "huggingface/huggingface_hub@ee0a4510f4 src/huggingface_hub/cli/download.py:41 (REPO_ID), :50 (--include, "
    "repeatable), :68 (--local-dir); `--` ends the options: click's OptionParser._process_args_for_options "
    "(pallets/click@0103c95706 src/click/parser.py), and hf's own argv rewriting stops at it "
    "(src/huggingface_hub/cli/_cli_utils.py:239, :463, :502)";
// The repo ids planner passes on (launch/names.h repo_id_problem): at most one '/'; each part
// `\b[\w\-.]+\b`, the name at most 96 characters; no "--" or ".."; not ending in ".git".
// planner takes \w as ASCII (the Hub's names are), and caps the namespace at 96 as well.
inline constexpr const char* kHfRepoId =
    "huggingface/huggingface_hub@ee0a4510f4 src/huggingface_hub/utils/_validators.py:28-38 (REPO_ID_REGEX), "
    ":93-148 (validate_repo_id)";
inline constexpr const char* kMlxConvert =
    "ml-explore/mlx-lm@d78bf58e21 mlx_lm/convert.py:191 (--hf-path), :197 (--mlx-path, must not exist), :200 (-q, "
    "no value), :203 (--q-group-size), :209 (--q-bits), :229 (--dtype)";
inline constexpr const char* kMlxServer =
    "ml-explore/mlx-lm@d78bf58e21 mlx_lm/server.py:1723 (--model), :1733 (--host), :1739 (--port); GET /health "
    "server.py:1589-1660";
inline constexpr const char* kConvertHf =
    "ggml-org/llama.cpp@bb4caa7540 convert_hf_to_gguf.py:51-170 (MODEL_DIR positional, --outfile, --outtype "
    "f32|f16|bf16|q8_0)";
inline constexpr const char* kQuantize =
    "ggml-org/llama.cpp@bb4caa7540 tools/quantize/quantize.cpp:123-126 (INPUT OUTPUT TYPE), :34-75 (TYPE names)";
inline constexpr const char* kLlamaServer =
    "ggml-org/llama.cpp@bb4caa7540 common/arg.cpp:3010 (-m), :1637 (-c), :2764 (-ngl N|all), :1744 (-fa "
    "on|off|auto), :2427 (-ctk), :2440 (-ctv; quantized V needs FA: src/llama-context.cpp:3596-3605), :3289 "
    "(--host), :3296 (--port); GET /health tools/server/server.cpp:227-295";
inline constexpr const char* kSysctl =
    "iogpu.wired_limit_mb in MiB, 0 = macOS default (AlexsJones/llmfit#570, antirez/ds4#893); "
    "ml-explore/mlx-lm@d78bf58e21 README.md:260-283";

}  // namespace planner::launch_source
