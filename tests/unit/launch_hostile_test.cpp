// The launch stage against hostile names: route keys, `models:` names, repo ids and log paths
// that try to start a new shell line, read as an option, or point a path outside models/.
#include <catch2/catch.hpp>

#include <sstream>

#include "check/check.h"
#include "estimate/analysis.h"
#include "launch/names.h"
#include "launch/plan.h"
#include "launch/render.h"
#include "support/launch_plan.h"

using namespace planner;

namespace {

// A GGUF route on Linux whose model is defined under `models:` as `name` with `hf_repo: repo`
// (no prebuilt GGUF: download, convert, quantize); `more_routes` follow route chat.
std::string user_model_config(const std::string& name, const std::string& repo, const std::string& more_routes = "") {
  return "hardware:\n  total_ram_gb: 64\n  architecture: linux_nvidia\n"
         "inference:\n  preferred_format: GGUF\n  quantization: Q5_K_M\n  max_context_tokens: 4096\n"
         "routing:\n  chat:\n    model: \"" + name + "\"\n" + more_routes +
         "models:\n  \"" + name + "\":\n    params_b: 7\n    layers: 32\n    kv_heads: 8\n    head_dim: 128\n"
         "    hf_repo: \"" + repo + "\"\n";
}

bool has_raw_control(const std::string& s) {
  for (unsigned char c : s)
    if ((c < 0x20 && c != '\n') || c == 0x7F) return true;
  return false;
}
}  // namespace

TEST_CASE("repo_id_problem: the Hub's repo id rules", "[launch][hostile]") {
  for (const char* ok : {"gpt2", "Qwen/Qwen2.5-7B-Instruct", "mlx-community/Llama-3.2-3B-Instruct-4bit",
                         "bartowski/Meta-Llama-3.1-8B-Instruct-GGUF", "a_b/c_d", "_x/y_"})
    CHECK(repo_id_problem(ok) == "");
  CHECK(repo_id_problem("") == "it is empty");
  CHECK(repo_id_problem("a/b/c") == "it has more than one '/' (a repo id is NAME or NAMESPACE/NAME)");
  CHECK(repo_id_problem("../etc") == "a part starts or ends with '-' or '.'");
  CHECK(repo_id_problem("../../etc") == "it has more than one '/' (a repo id is NAME or NAMESPACE/NAME)");
  CHECK(repo_id_problem("/x") == "a part around '/' is empty");
  CHECK(repo_id_problem("x/") == "a part around '/' is empty");
  CHECK(repo_id_problem("--local-dir=x") == "it may hold only letters, digits, '-', '_' and '.'");
  CHECK(repo_id_problem("--local-dir") == "a part starts or ends with '-' or '.'");
  CHECK(repo_id_problem("-q") == "a part starts or ends with '-' or '.'");
  CHECK(repo_id_problem("org/-x") == "a part starts or ends with '-' or '.'");
  CHECK(repo_id_problem(".hidden/x") == "a part starts or ends with '-' or '.'");
  CHECK(repo_id_problem("org/x.") == "a part starts or ends with '-' or '.'");
  CHECK(repo_id_problem("org/..") == "a part starts or ends with '-' or '.'");
  CHECK(repo_id_problem("a..b/c") == "it holds '--' or '..'");
  CHECK(repo_id_problem("a/b--c") == "it holds '--' or '..'");
  CHECK(repo_id_problem("org/model.git") == "it ends in '.git'");
  CHECK(repo_id_problem("org/$(touch x)") == "it may hold only letters, digits, '-', '_' and '.'");
  CHECK(repo_id_problem("org/a;b") == "it may hold only letters, digits, '-', '_' and '.'");
  CHECK(repo_id_problem("org/a\nb") == "it may hold only letters, digits, '-', '_' and '.'");
  CHECK(repo_id_problem("org/mod\xc3\xa9le") == "it may hold only letters, digits, '-', '_' and '.'");
  CHECK(repo_id_problem("org/" + std::string(96, 'a')) == "");
  CHECK(repo_id_problem("org/" + std::string(97, 'a')) == "a part is longer than 96 characters");
}

TEST_CASE("path_component: one safe component from free text", "[launch][hostile]") {
  CHECK(path_component("qwen2.5-7b-instruct", "model") == "qwen2.5-7b-instruct");
  CHECK(path_component("", "model") == "model");
  CHECK(path_component("../../etc/passwd", "model") == "___.__etc_passwd");
  CHECK(path_component("..", "model") == "__");
  CHECK(path_component("-rf", "model") == "_rf");
  CHECK(path_component(".bashrc", "model") == "_bashrc");
  CHECK(path_component("a\nb $(x)", "model") == "a_b___x_");
  const std::string a = path_component(std::string(1000, 'a') + "1", "m");
  const std::string b = path_component(std::string(1000, 'a') + "2", "m");
  CHECK(a.size() == 80);
  CHECK(a.substr(0, 72) == std::string(71, 'a') + "-");
  CHECK(a != b);
  CHECK(not_an_option("-x.gguf") == "./-x.gguf");
  CHECK(not_an_option("models/x") == "models/x");
}

TEST_CASE("launch: hf download puts -- before the repo id", "[launch][hostile]") {
  auto p = plan_of(user_model_config("mymodel", "org/My-Model"));
  const RouteLaunch& r = p->plan.routes[0];
  REQUIRE(r.skipped.empty());
  CHECK(line_of(r, StepKind::download) == "hf download --local-dir models/chat/hf -- org/My-Model");
}

TEST_CASE("launch: a models: name cannot steer --outfile or the quantized file out of models/", "[launch][hostile]") {
  auto p = plan_of(user_model_config("../../.bashrc\\n$(touch pwned); x'", "org/m"));
  const RouteLaunch& r = p->plan.routes[0];
  REQUIRE(r.skipped.empty());
  CHECK(line_of(r, StepKind::convert) ==
        "python3 \"${LLAMA_CPP_DIR}\"/convert_hf_to_gguf.py models/chat/hf --outfile "
        "models/chat/___.__.bashrc___touch_pwned___x_-f16.gguf --outtype f16");
  CHECK(line_of(r, StepKind::quantize) ==
        "llama-quantize models/chat/___.__.bashrc___touch_pwned___x_-f16.gguf "
        "models/chat/___.__.bashrc___touch_pwned___x_-Q5_K_M.gguf Q5_K_M");
  // The comment line names the model escaped, on one line.
  CHECK(r.why.find("../../.bashrc\\n$(touch pwned); x'") == 0);
  CHECK(r.why.find('\n') == std::string::npos);
}

TEST_CASE("launch: an hf_repo that is not a repo id skips the route with the reason", "[launch][hostile]") {
  auto opt = plan_of(user_model_config("m", "--local-dir=/tmp"));
  CHECK(opt->plan.routes[0].skipped ==
        "hf_repo '--local-dir=/tmp' is not a Hugging Face repo id: it may hold only letters, digits, '-', '_' and '.'");
  CHECK(opt->plan.routes[0].steps.empty());
  auto dash = plan_of(user_model_config("m", "-q"));
  CHECK(dash->plan.routes[0].skipped == "hf_repo '-q' is not a Hugging Face repo id: a part starts or ends with '-' or '.'");
  auto dots = plan_of(user_model_config("m", "org/../../x"));
  CHECK(dots->plan.routes[0].skipped.find("is not a Hugging Face repo id: it has more than one '/'") != std::string::npos);
  auto nl = plan_of(user_model_config("m", "org/m\\ntouch pwned"));
  CHECK(nl->plan.routes[0].skipped ==
        "hf_repo 'org/m\\ntouch pwned' is not a Hugging Face repo id: it may hold only letters, digits, '-', '_' and '.'");
  // The prebuilt repos of `models:` (mlx_repo, gguf_repo) are checked the same way.
  auto gguf = plan_of(user_model_config("m", "org/m") + "    gguf_repo: \"$(touch pwned)\"\n");
  CHECK(gguf->plan.routes[0].skipped ==
        "gguf_repo '$(touch pwned)' is not a Hugging Face repo id: it may hold only letters, digits, '-', '_' and '.'");
}

TEST_CASE("launch: logging.output must stay inside the config's directory and be one line", "[launch][hostile]") {
  const std::string base = user_model_config("m", "org/m") + "logging:\n  output: ";
  auto ok = plan_of(base + "\"logs dir/it's.log\"\n");
  CHECK(ok->plan.log_file == "logs dir/it's.log");
  CHECK(ok->plan.log_note.empty());
  auto up = plan_of(base + "../.bashrc\n");
  CHECK(up->plan.log_file == "logs/planner.log");
  CHECK(up->plan.log_note ==
        "logging.output '../.bashrc' is not used: it leaves the config's directory; the log goes to logs/planner.log");
  auto sneaky = plan_of(base + "logs/../../x.log\n");
  CHECK(sneaky->plan.log_note.find("it leaves the config's directory") != std::string::npos);
  auto abs = plan_of(base + "/home/me/.bashrc\n");
  CHECK(abs->plan.log_note.find("it is an absolute path") != std::string::npos);
  auto nl = plan_of(base + "\"logs/a\\ntouch pwned\"\n");
  CHECK(nl->plan.log_note ==
        "logging.output 'logs/a\\ntouch pwned' is not used: it holds a control character; the log goes to "
        "logs/planner.log");
  CHECK(nl->plan.log_file == "logs/planner.log");
  auto long_name = plan_of(base + "logs/" + std::string(256, 'l') + "\n");
  CHECK(long_name->plan.log_note.find("is not used: a name in it is longer than 255 bytes") != std::string::npos);
  CHECK(plan_of(base + "logs/" + std::string(255, 'l') + "\n")->plan.log_note.empty());
}

TEST_CASE("validation.prompts with a control character is an error at its place", "[launch][hostile]") {
  const std::string base = user_model_config("m", "org/m") + "validation:\n  prompts: ";
  auto li002 = [](const FileResult& r) {
    std::vector<const Diagnostic*> out;
    for (const auto& d : r.diagnostics)
      if (d.code == "LI002") out.push_back(&d);
    return out;
  };
  // A space, a quote and non-ASCII are file names like any other; a newline, an escape, DEL are not.
  CHECK(li002(check_text("c.yaml", base + "\"my prompts/it's Ã©.txt\"\n", {})).empty());
  for (const auto& [written, shown] : std::vector<std::pair<std::string, std::string>>{
           {"\"p.txt\\ntouch pwned\"", "p.txt\\ntouch pwned"},
           {"\"p\\e[2J.txt\"", "p\\x1b[2J.txt"},
           {"\"p\\x7f.txt\"", "p\\x7f.txt"}}) {
    const FileResult r = check_text("c.yaml", base + written + "\n", {});
    const auto found = li002(r);
    REQUIRE(found.size() == 1);
    CHECK(found[0]->line == 19);
    CHECK(found[0]->column == 12);
    CHECK(found[0]->path == "validation.prompts");
    CHECK(found[0]->message == "validation.prompts: '" + shown +
                                   "' holds a control character: the run script opens and logs this file name, "
                                   "which must be one line of text");
  }
}

TEST_CASE("launch text: hostile names never start a shell line of their own", "[launch][hostile]") {
  auto p = plan_of(user_model_config("x\\n$(touch pwned)\\r\\x1b[2J", "org/m\\ntouch pwned2",
                                     "  evil:\n    model: \"y\\ntouch pwned3\"\n"));
  std::ostringstream text;
  render_launch_text(text, "dir\nwith newline/c.yaml", p->plan);
  const std::string out = text.str();
  CHECK_FALSE(has_raw_control(out));
  std::istringstream lines(out);
  std::string line;
  int commands = 0;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') continue;
    ++commands;
    INFO(line);
    CHECK(line.rfind("touch", 0) != 0);
  }
  CHECK(commands == 0);  // both routes are skipped: a bad repo id, an unknown model
  CHECK(out.find("# route chat: x\\n$(touch pwned)\\r\\x1b[2J on llama.cpp") != std::string::npos);
  CHECK(out.find("# skipped: hf_repo 'org/m\\ntouch pwned2' is not a Hugging Face repo id") != std::string::npos);
  CHECK(out.find("# skipped: model 'y\\ntouch pwned3' is not in the catalog") != std::string::npos);
  CHECK(out.find("# planner launch dir\\nwith newline/c.yaml\n") == 0);
}

TEST_CASE("run script: hostile names stay in comments and quoted words", "[launch][hostile]") {
  auto p = plan_of(user_model_config("x\\n$(touch pwned)", "org/m") + "logging:\n  output: \"../.bashrc\"\n");
  const std::string s = render_run_script("c.yaml", p->plan);
  CHECK_FALSE(has_raw_control(s));
  CHECK(s.find("# route chat: x\\n$(touch pwned) on llama.cpp") != std::string::npos);
  CHECK(s.find("LOG_FILE=logs/planner.log\n") != std::string::npos);
  CHECK(s.find("# logging.output '../.bashrc' is not used: it leaves the config's directory") != std::string::npos);
  CHECK(s.find("\nlog \"note: $LOG_NOTE\"\npreflight\n") != std::string::npos);
  // The file names built from the model's name are sanitised, and quoted where they need it.
  CHECK(s.find("models/chat/x___touch_pwned_-f16.gguf") != std::string::npos);
}
