#pragma once
// Stage 6 (launch): from the analysis of a config, the commands that download or convert each
// route's model and serve it. Pure: returns data (argv words, purpose, where each flag was read);
// printing them and writing run scripts is the job of launch/render_*.cpp.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "estimate/analysis.h"

namespace planner {

// One word of a command line. Rendered as `"${env}"/` + shell_quote(text), or as `"$var"` when
// `var` is set (a shell variable set by an earlier locate step).
struct Word {
  std::string text;
  std::string env;  // a directory the user supplies through the environment (LLAMA_CPP_DIR)
  std::string var;
};

// write: a small text file (Ollama's Modelfile); check: a command that only reports (lms load
// --estimate-only); load: a command that loads the model into a server an earlier step started.
enum class StepKind { wired_limit, download, locate, convert, quantize, write, serve, check, load };
std::string_view to_string(StepKind k);

struct Step {
  StepKind kind = StepKind::serve;
  std::vector<Word> argv;    // empty for locate
  std::string purpose;       // one line: why this step
  std::string source;        // where its flags were read (launch/sources.h)
  std::string creates;       // the file or directory it produces ("" = none): scripts skip it when present
  // locate: `var=$(find dir -type f -iname pattern | LC_ALL=C sort | head -n 1)`
  std::string dir, pattern, var;
  // write: `mkdir -p dir && printf '%s\n' lines... >creates`
  std::vector<std::string> lines = {};
  // Variables set in the command's environment only (Ollama's server settings): bash writes
  // `env K=V cmd`, PowerShell sets $env:K first.
  std::vector<std::pair<std::string, std::string>> environment = {};
  // serve: the command returns once its service runs in the background (`ray start`): a run
  // script runs it and goes on, where it starts a server and waits on it otherwise.
  bool detaches = false;
};

// One rung of a watchdog ladder (launch/ladder.h): a smaller context or a smaller model for a
// route, as its runtime's launch steps start it.
struct LadderStep {
  std::string label;          // one line: "4096 tokens of context, 4.61 GiB estimated"
  long long context = 0;
  double total_bytes = 0;
  std::vector<Step> prepare;  // download / locate / convert / quantize before the server starts
  Step serve;                 // the server with this rung's context or model
  std::vector<std::string> tools;  // programs `prepare` and `serve` run, checked when the rung is taken
  bool needs_llama_cpp_dir = false;
  // Why the script will not take this rung ("" = it will): it needs a download or conversion and
  // the script was generated without --allow-downloads.
  std::string skipped;
};

struct RouteLadders {
  std::vector<LadderStep> contexts;  // truncate_context, largest first
  std::vector<LadderStep> models;    // downgrade_model: smaller quantizations, then smaller models
  std::string contexts_note;         // why `contexts` is empty, when it is
  std::string models_note;
};

struct RouteLaunch {
  std::string name;
  int port = 0;
  const Runtime* runtime = nullptr;  // the route's (resolve/routes.h)
  std::string health_path = "/health";
  std::string why;      // the route's model, runtime, quantization, context and memory in one line
  std::string skipped;  // why no commands could be made ("" = launched)
  std::string log;      // the server's log file, in the log directory
  double total_bytes = 0;
  bool serve = false;   // kept running after validation (resident route, or the only one)
  // Why `planner script` leaves the route out ("" = scripted): its server is an app's (Ollama,
  // LM Studio), not a process the script starts, health-checks and stops.
  std::string not_scripted;
  std::vector<Step> steps;
  RouteLadders ladders;  // what the watchdog steps down to (scripted routes only)
  // What planner-run.json records the route as (launch/render_validation.cpp): the model's
  // catalog id (or the name written), the runtime's name and the served context.
  std::string model;
  long long context = 0;
  bool validated = false;  // the run script sends it validation.prompts (else three fixed prompts)
  // A process the run script starts, health-checks and stops (not skipped, not an app's server).
  bool scripted() const { return skipped.empty() && not_scripted.empty(); }
};

struct LaunchPlan {
  std::optional<Step> wired_limit;  // `sudo sysctl iogpu.wired_limit_mb=N` when a route needs more than the default
  long long wired_limit_mib = 0;
  std::vector<RouteLaunch> routes;
  std::vector<std::string> tools;   // executables the steps run, in first-use order
  bool needs_llama_cpp_dir = false; // convert_hf_to_gguf.py lives in a llama.cpp checkout
  std::string log_file;             // logging.output (relative to the base), or logs/planner.log
  std::string log_dir;
  std::string log_note;             // why logging.output was not used ("" = used, or not set)
  double ram_bytes = 0;
  std::optional<double> pressure_threshold;
  std::string pressure_action;
  // validation: the prompts file (relative to the script's directory, "" = none), the budget per
  // route in seconds and each reply's max_tokens.
  std::string validation_prompts;
  long long validation_budget_s = 0;
  long long validation_max_tokens = 0;
  bool windows = false;             // hardware.architecture windows_*: PowerShell by default (launch/render.h)
};

struct LaunchOptions {
  std::string base;       // prefix for paths relative to the config's directory ("" = none)
  std::string only_route; // --route: this route only ("" = all)
  int first_port = 8080;  // route i of the config listens on first_port + i
  // `planner script --allow-downloads`: the watchdog's downgrade_model may download or convert a
  // smaller model; without it, rungs that need one are written as skipped.
  bool allow_downloads = false;
};

// The `sudo sysctl iogpu.wired_limit_mb=N` a Mac of hardware `hw` needs (N and the step): the
// limit hw.gpu_wired_limit_gb raises, else its model budget when `need` bytes on the GPU are over
// macOS's default; nullopt when neither. `who` starts the reason ("the routes need").
std::optional<std::pair<long long, Step>> wired_limit_step(const Config& hw, double need, double model_budget_bytes,
                                                          const HardwareTables& tables, std::string_view who);

LaunchPlan plan_launch(const Analysis& a, const LaunchOptions& options = {});

// The order a run script starts the scripted routes in (indexes into plan.routes): first those
// validated one at a time and then stopped, then those kept running (RouteLaunch::serve), so the
// routes not kept in memory together never are.
struct ServeOrder {
  std::vector<std::size_t> validated_then_stopped, kept;
};
ServeOrder serve_order(const LaunchPlan& plan);

// The word as a bash word (quoted via shell_quote).
std::string render_word(const Word& w);
// The step as one bash line.
std::string render_step(const Step& s);

}  // namespace planner
