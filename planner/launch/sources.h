#pragma once
// Where each emitted flag that no single runtime owns was read, at the commits in docs/launch.md's
// version table (/work/shared/docs/launch-flags.md has the full reading); each runtime's own flags
// are cited in its launch/steps_<engine>.cpp. A flag that is not cited is not emitted.
namespace planner::launch_source {

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
inline constexpr const char* kSysctl =
    "iogpu.wired_limit_mb in MiB, 0 = macOS default (AlexsJones/llmfit#570, antirez/ds4#893); "
    "ml-explore/mlx-lm@d78bf58e21 README.md:260-283";

}  // namespace planner::launch_source
