// The launch stage for Windows: PowerShell quoting, the commands `planner launch` prints and the
// run.ps1 `planner script` writes. No PowerShell runs here, so the tests read the output with a
// small lexer of PowerShell's quoting rules (about_Quoting_Rules, about_Parsing; PowerShell's
// tokenizer also reads the typographic quotes U+2018-U+201E as quotes) and check that every value
// from a config lands inside a single-quoted string or a comment, never in code or in a
// double-quoted (expanding) string.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "estimate/analysis.h"
#include "launch/plan.h"
#include "launch/quote.h"
#include "launch/render.h"
#include "support/gguf_models.h"
#include "support/launch_plan.h"

using namespace planner;

namespace {

// What a stretch of PowerShell source is.
enum class Part { code, comment, single_quoted, double_quoted };

struct Lexed {
  std::vector<std::pair<Part, std::string>> parts;
  std::string error;  // "" = every string and comment closed
};

// Length of a single-quote character at i (', U+2018..U+201B), else 0.
std::size_t single_quote_at(const std::string& s, std::size_t i) {
  if (s[i] == '\'') return 1;
  if (i + 2 < s.size() && static_cast<unsigned char>(s[i]) == 0xE2 && static_cast<unsigned char>(s[i + 1]) == 0x80) {
    const auto c = static_cast<unsigned char>(s[i + 2]);
    if (c >= 0x98 && c <= 0x9B) return 3;
  }
  return 0;
}
// Length of a double-quote character at i (", U+201C..U+201E), else 0.
std::size_t double_quote_at(const std::string& s, std::size_t i) {
  if (s[i] == '"') return 1;
  if (i + 2 < s.size() && static_cast<unsigned char>(s[i]) == 0xE2 && static_cast<unsigned char>(s[i + 1]) == 0x80) {
    const auto c = static_cast<unsigned char>(s[i + 2]);
    if (c >= 0x9C && c <= 0x9E) return 3;
  }
  return 0;
}

Lexed lex_powershell(const std::string& s) {
  Lexed out;
  std::string cur;
  Part part = Part::code;
  auto flush = [&](Part next) {
    if (!cur.empty()) out.parts.emplace_back(part, cur);
    cur.clear();
    part = next;
  };
  std::size_t i = 0;
  while (i < s.size()) {
    if (part == Part::code) {
      if (s.compare(i, 2, "@'") == 0 || s.compare(i, 2, "@\"") == 0 || s.compare(i, 2, "<#") == 0) {
        out.error = "a here-string or block comment (the renderers write neither)";
        return out;
      }
      if (s[i] == '#' && (i == 0 || std::string(" \t\n;{(").find(s[i - 1]) != std::string::npos)) {
        flush(Part::comment);
      } else if (std::size_t q = single_quote_at(s, i)) {
        flush(Part::single_quoted);
        i += q;
        continue;
      } else if (std::size_t dq = double_quote_at(s, i)) {
        flush(Part::double_quoted);
        i += dq;
        continue;
      } else if (s[i] == '`') {  // escapes the next character in code
        cur += s.substr(i, 2);
        i += 2;
        continue;
      }
      cur += s[i++];
    } else if (part == Part::comment) {
      if (s[i] == '\n') flush(Part::code);
      else cur += s[i++];
    } else if (part == Part::single_quoted) {
      if (std::size_t q = single_quote_at(s, i)) {
        if (i + q < s.size() && single_quote_at(s, i + q)) {  // a doubled quote is one quote
          cur += s.substr(i, q);
          i += q + single_quote_at(s, i + q);
          continue;
        }
        i += q;
        flush(Part::code);
        continue;
      }
      cur += s[i++];
    } else {
      if (s[i] == '`') {
        cur += s.substr(i, 2);
        i += 2;
        continue;
      }
      if (std::size_t q = double_quote_at(s, i)) {
        if (i + q < s.size() && double_quote_at(s, i + q)) {
          cur += s.substr(i, q);
          i += q + double_quote_at(s, i + q);
          continue;
        }
        i += q;
        flush(Part::code);
        continue;
      }
      cur += s[i++];
    }
  }
  if (part == Part::single_quoted || part == Part::double_quoted) out.error = "a string is not closed";
  flush(Part::code);
  return out;
}

// Where `marker` occurs outside single-quoted strings and comments ("" = nowhere).
std::string exposed(const Lexed& l, const std::string& marker) {
  for (const auto& [part, text] : l.parts)
    if ((part == Part::code || part == Part::double_quoted) && text.find(marker) != std::string::npos)
      return (part == Part::code ? "code: " : "double-quoted: ") + text;
  return "";
}

// Brackets in code (not in strings or comments) balance.
bool code_balanced(const Lexed& l) {
  int round = 0, curly = 0;
  for (const auto& [part, text] : l.parts) {
    if (part != Part::code) continue;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '`') {
        ++i;
        continue;
      }
      round += text[i] == '(' ? 1 : text[i] == ')' ? -1 : 0;
      curly += text[i] == '{' ? 1 : text[i] == '}' ? -1 : 0;
      if (round < 0 || curly < 0) return false;
    }
  }
  return round == 0 && curly == 0;
}

// A GGUF file on disk under a hostile name, served in place by a linux or windows config.
struct HostileFile {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "planner-ps-test";
  std::string name;
  explicit HostileFile(std::string n) : name(std::move(n)) {
    std::filesystem::create_directories(dir);
    std::ofstream f(dir / name, std::ios::binary);
    const std::string bytes = planner::testing::tiny_llama().bytes();
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  ~HostileFile() { std::filesystem::remove_all(dir); }
  std::unique_ptr<Planned> plan(const std::string& extra = "") const {
    return plan_of("hardware:\n  total_ram_gb: 32\n  architecture: windows_nvidia\n"
                   "inference:\n  preferred_format: GGUF\n  max_context_tokens: 256\n"
                   "routing:\n  chat:\n    model: \"./" + name + "\"\n" + extra,
                   LaunchOptions{"", "", 8080}, (dir / "test.yaml").string());
  }
};

}  // namespace

TEST_CASE("powershell_quote: names and flags bare, everything else in single quotes", "[launch][powershell]") {
  CHECK(powershell_quote("llama-server") == "llama-server");
  CHECK(powershell_quote("models/code-1.gguf") == "models/code-1.gguf");
  CHECK(powershell_quote("-ngl") == "-ngl");
  CHECK(powershell_quote("--host") == "--host");
  CHECK(powershell_quote("8080") == "8080");
  CHECK(powershell_quote("llama3.2:1b") == "llama3.2:1b");
  CHECK(powershell_quote("") == "''");
  // Read as something else in argument mode: numbers, variables, splats, arrays, statements.
  CHECK(powershell_quote("0x10") == "'0x10'");
  CHECK(powershell_quote("1e3") == "'1e3'");
  CHECK(powershell_quote(".5") == "'.5'");
  CHECK(powershell_quote("$HOME") == "'$HOME'");
  CHECK(powershell_quote("@args") == "'@args'");
  CHECK(powershell_quote("a,b") == "'a,b'");
  CHECK(powershell_quote("a;b") == "'a;b'");
  CHECK(powershell_quote("--") == "'--'");      // a bare -- is swallowed (PowerShell/PowerShell#16592)
  CHECK(powershell_quote("--%") == "'--%'");    // the stop-parsing token
  CHECK(powershell_quote("~/models") == "'~/models'");
  CHECK(powershell_quote("*Q4_K_M*.gguf") == "'*Q4_K_M*.gguf'");
  CHECK(powershell_quote("a b") == "'a b'");
  CHECK(powershell_quote("it's") == "'it''s'");
  CHECK(powershell_quote("`whoami`") == "'`whoami`'");
  CHECK(powershell_quote("$(Remove-Item x)") == "'$(Remove-Item x)'");
  // A typographic quote ends a '...' string too, so it is doubled like the ASCII one.
  CHECK(powershell_quote("it\xE2\x80\x99s") == "'it\xE2\x80\x99\xE2\x80\x99s'");
  CHECK(powershell_quote("\xE2\x80\x98x") == "'\xE2\x80\x98\xE2\x80\x98x'");
  CHECK(powershell_string("llama-server") == "'llama-server'");
}

TEST_CASE("powershell lexer: the test's reader of quoting", "[launch][powershell]") {
  auto l = lex_powershell("& 'a''b' \"c`\"d\" # e 'f\nx");
  REQUIRE(l.error.empty());
  REQUIRE(l.parts.size() == 7);
  CHECK(l.parts[1] == std::make_pair(Part::single_quoted, std::string("a'b")));
  CHECK(l.parts[3] == std::make_pair(Part::double_quoted, std::string("c`\"d")));
  CHECK(l.parts[5] == std::make_pair(Part::comment, std::string("# e 'f")));
  CHECK(l.parts[6] == std::make_pair(Part::code, std::string("\nx")));
  CHECK(lex_powershell("'open").error == "a string is not closed");
  CHECK(lex_powershell("'a\xE2\x80\x99" "b'").error == "a string is not closed");  // U+2019 ended 'a, so ' opens one
  CHECK(exposed(lex_powershell("'$(x)' # $(x)"), "$(x)").empty());
  CHECK(exposed(lex_powershell("\"$(x)\""), "$(x)") == "double-quoted: $(x)");
  CHECK_FALSE(code_balanced(lex_powershell("f { (")));
}

TEST_CASE("launch --shell powershell: llama-server, hf download and the located file", "[launch][powershell]") {
  auto p = plan_of(R"(hardware:
  total_ram_gb: 64
  architecture: windows_nvidia
  gpu_vram_gb: 24
  chip: RTX 4090
inference:
  preferred_format: GGUF
  quantization: Q4_K_M
  max_context_tokens: 8192
routing:
  code:
    model: qwen2.5-7b-instruct
)");
  CHECK(p->plan.windows);
  CHECK(default_shell(p->plan) == Shell::powershell);
  const RouteLaunch& r = p->plan.routes[0];
  REQUIRE(r.skipped.empty());
  REQUIRE(r.steps.size() == 3);
  CHECK(render_step_powershell(r.steps[0]) ==
        "hf download --include '*Q4_K_M*.gguf' --include '*q4_k_m*.gguf' --local-dir models/code '--' "
        "bartowski/Qwen2.5-7B-Instruct-GGUF");
  CHECK(render_step_powershell(r.steps[1]) ==
        "$model_file_0 = Get-ChildItem -LiteralPath 'models/code' -Recurse -File -Filter '*q4_k_m*.gguf' | "
        "Sort-Object -Property FullName | Select-Object -First 1 -ExpandProperty FullName");
  CHECK(render_step_powershell(r.steps[2]) ==
        "llama-server -m $model_file_0 -c 8192 -ngl all -fa auto -ctk f16 -ctv f16 --host '127.0.0.1' --port 8080");
  std::ostringstream text;
  render_launch_text(text, "c.yaml", p->plan, Shell::powershell);
  CHECK(text.str().rfind("# planner launch c.yaml (PowerShell)\n", 0) == 0);
  CHECK(text.str().find("\nllama-server -m $model_file_0 -c 8192") != std::string::npos);
}

TEST_CASE("launch --shell powershell: Ollama's Modelfile and server environment", "[launch][powershell]") {
  auto p = plan_of(R"(hardware:
  total_ram_gb: 32
  architecture: windows_nvidia
inference:
  preferred_format: GGUF
  quantization: Q4_K_M
  max_context_tokens: 8192
  kv_cache_type: q8_0
routing:
  general:
    model: llama3.2
    parallel: 2
)");
  const RouteLaunch& r = p->plan.routes[0];
  REQUIRE(r.skipped.empty());
  REQUIRE(r.steps.size() >= 2);
  CHECK(render_step_powershell(r.steps[0]) ==
        "New-Item -ItemType Directory -Force -Path 'models/general' | Out-Null; "
        "[IO.File]::WriteAllText([IO.Path]::Combine($PWD.ProviderPath, 'models/general/Modelfile'), "
        "((@('FROM llama3.2', 'PARAMETER num_ctx 8192') -join \"`n\") + \"`n\"))");
  CHECK(render_step_powershell(r.steps[1]) ==
        "$env:OLLAMA_NUM_PARALLEL = '2'; $env:OLLAMA_KV_CACHE_TYPE = 'q8_0'; ollama serve");
  CHECK(render_step(r.steps[1]) == "env OLLAMA_NUM_PARALLEL=2 OLLAMA_KV_CACHE_TYPE=q8_0 ollama serve");
}

TEST_CASE("PowerShell output: a hostile model file name stays inside single quotes", "[launch][powershell][hostile]") {
  // Each payload would run, expand or end a string if it reached code or a "..." string.
  const HostileFile f("it's $(Write-Output PWNED1) `PWNED2` \xE2\x80\x99; PWNED3 \xE2\x80\x9C$PWNED4.gguf");
  auto p = f.plan("logging:\n  output: \"logs/it's $(PWNED5).log\"\n");
  const RouteLaunch& r = p->plan.routes[0];
  REQUIRE(r.skipped.empty());
  std::ostringstream text;
  render_launch_text(text, "dir/it's $(PWNED6).yaml", p->plan, Shell::powershell);
  const std::string script = render_run_script_powershell("it's $(PWNED6).yaml", p->plan);
  for (const auto& [what, out] : {std::pair{"launch text", text.str()}, std::pair{"run.ps1", script}}) {
    INFO(what << ":\n" << out);
    const Lexed l = lex_powershell(out);
    REQUIRE(l.error.empty());
    CHECK(code_balanced(l));
    for (const char* m : {"PWNED1", "PWNED2", "PWNED3", "PWNED4", "PWNED5", "PWNED6"}) CHECK(exposed(l, m).empty());
  }
  // The path reaches llama-server whole: one single-quoted word, its quotes doubled.
  INFO(render_step_powershell(r.steps[0]));
  CHECK(render_step_powershell(r.steps[0]).find(
            "-m './it''s $(Write-Output PWNED1) `PWNED2` \xE2\x80\x99\xE2\x80\x99; PWNED3 \xE2\x80\x9C$PWNED4.gguf'") !=
        std::string::npos);
  CHECK(script.find("$LogFile = 'logs/it''s $(PWNED5).log'\n") != std::string::npos);
}

TEST_CASE("run.ps1: the shape of the script for a served route", "[launch][powershell]") {
  const HostileFile f("tiny.gguf");
  auto p = f.plan("monitoring:\n  memory_pressure_threshold: 0.85\n  action_on_threshold: unload_model\n");
  const std::string s = render_run_script_powershell("c.yaml", p->plan);
  INFO(s);
  const Lexed l = lex_powershell(s);
  REQUIRE(l.error.empty());
  CHECK(code_balanced(l));
  CHECK(s.find("$Threshold = '0.85'\n$Action = 'unload_model'\n") != std::string::npos);
  CHECK(s.find("  $missing = @(foreach ($tool in @('llama-server')) {\n") != std::string::npos);
  CHECK(s.find("function Start-Route0 {\n") != std::string::npos);
  CHECK(s.find("  Start-Server 'chat' 'logs/chat.log' @('llama-server', '-m', './tiny.gguf', '-c', '256',") !=
        std::string::npos);
  CHECK(s.find("  Wait-Healthy 'chat' 'http://127.0.0.1:8080/health' $script:ServerProcess\n") != std::string::npos);
  CHECK(s.find("  Start-Route0\n  Add-Serving 0\n") != std::string::npos);
  CHECK(s.find("} finally {\n  Stop-Started  # also on Ctrl-C\n}\nexit $code\n") != std::string::npos);
}
