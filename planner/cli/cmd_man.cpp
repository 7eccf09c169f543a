// `planner man`: the manual page (roff), generated from the parser itself (cli_model.h) around the
// prose below, so every subcommand and option is documented as the parser declares it. The build
// writes it to planner.1 and `cmake --install` puts it in share/man/man1.
#include <fmt/format.h>

#include <iostream>

#include "cli/cli_model.h"
#include "cli/commands.h"

namespace planner::cli {

namespace {

// Text for roff: backslashes escaped, and a line never starts with a control character.
std::string roff(const std::string& s) {
  std::string out;
  bool line_start = true;
  for (char c : s) {
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    if (c == '\\') out += "\\e";
    else out += c;
    line_start = c == '\n';
  }
  return out;
}

// An option name in bold with its hyphens as roff minus signs, so it can be searched and copied.
std::string flag(const std::string& f) {
  std::string out = "\\fB";
  for (char c : f) out += c == '-' ? std::string("\\-") : std::string(1, c);
  return out + "\\fR";
}

std::string join_flags(const OptionInfo& o) {
  std::string out;
  for (const auto& f : o.flags) out += (out.empty() ? "" : ", ") + flag(f);
  return out;
}

std::string value_text(const OptionInfo& o) {
  if (!o.choices.empty()) {
    std::string out;
    for (const auto& c : o.choices) out += (out.empty() ? "" : "|") + c;
    return " \\fI" + out + "\\fR";
  }
  return o.value_name.empty() ? "" : " \\fI" + o.value_name + "\\fR";
}

// --help is documented once, under OPTIONS, not under every command.
bool is_help(const OptionInfo& o) {
  for (const auto& f : o.flags)
    if (f == "--help") return true;
  return false;
}

std::string synopsis(const CommandInfo& c) {
  std::string out = "\\fBplanner " + c.name + "\\fR";
  bool has_flags = false;
  for (const auto& o : c.options) has_flags = has_flags || (!o.flags.empty() && !is_help(o));
  if (has_flags) out += " [\\fIoptions\\fR]";
  for (const auto& o : c.options) {
    if (o.positional.empty()) continue;
    std::string arg = "\\fI" + o.positional + "\\fR" + (o.repeats ? "..." : "");
    out += o.required ? " " + arg : " [" + arg + "]";
  }
  return out;
}

void option_entry(std::ostream& out, const OptionInfo& o) {
  out << ".TP\n";
  if (o.flags.empty()) out << "\\fI" << o.positional << "\\fR" << (o.repeats ? "..." : "") << "\n";
  else out << join_flags(o) << value_text(o) << "\n";
  out << roff(o.description.empty() ? "(no description)" : o.description) << "\n";
}

constexpr const char* kDescription = R"(planner reads a local-inference-config.yaml (RAM, OS reserve, MLX or GGUF, quantization, context, a model per task, memory-pressure monitoring) and tells, before anything is downloaded, whether each route fits: weights at the real quantization, the KV cache from the model's architecture, runtime overhead, the OS reserve and, on Macs, the GPU's wired-memory limit. It runs offline, in milliseconds, in pre-commit hooks and CI.
.PP
Findings are printed as FILE:LINE:COL: SEVERITY: MESSAGE [CODE], gcc-style; \fB\-\-format\fR json, sarif and github give the same findings for programs, code scanning and GitHub Actions annotations.)";

constexpr const char* kTail = R"(.SH EXIT STATUS
.TP
.B 0
no errors (\fBplan\fR: a plan was printed, even when routes do not fit)
.TP
.B 1
errors found, or warnings with \fB\-\-strict\fR; YAML syntax errors are findings too
.TP
.B 2
usage error, a file that cannot be read (missing, a directory, unreadable), or one that is not
written: \fB\-o\fR onto an existing file without \fB\-\-force\fR, or \fBfix \-\-write\fR on a file that
changed while fix ran, is read-only or is another user's (\fB\-\-force\fR writes anyway)
.TP
.B 3
internal error (a bug: please report it)
.SH SUPPRESSING FINDINGS
A comment on the finding's line, or alone on the line above it, silences it:
.PP
.RS
.nf
# planner: ignore[LI021]
.fi
.RE
.SH ENVIRONMENT
.TP
.B NO_COLOR
when set and not empty, \fB\-\-color auto\fR (the default) prints no colors.
.SH FILES
.TP
.I ./local-inference-config.yaml
what \fBplanner check\fR reads when no file is given.
.SH EXAMPLES
.nf
planner check \-\-strict configs/*.yaml
planner check \-\-format sarif local\-inference\-config.yaml > planner.sarif
planner explain LI014
planner plan local\-inference\-config.yaml
planner plan \-\-format svg local\-inference\-config.yaml > plan.svg
planner plan \-\-format markdown local\-inference\-config.yaml >> "$GITHUB_STEP_SUMMARY"
planner completion bash > ~/.local/share/bash\-completion/completions/planner
.fi
.SH SEE ALSO
\fBplanner rules\fR lists every rule; \fBplanner explain\fR \fICODE\fR documents one.
The project's docs/ folder: format.md (the config format), memory\-model.md (every formula and
its source), output\-formats.md (json, sarif, github; the plan as text, json, svg, html and
markdown), integrations.md (pre\-commit, CI, packages), editors.md (\fBplanner lsp\fR in
Neovim, Helix, VS Code and Emacs).
)";

void render_man_page(std::ostream& out, const CLI::App& app) {
  const CommandInfo root = describe_root(app);
  const std::vector<CommandInfo> subs = describe_subcommands(app);
  out << ".\\\" Generated by `planner man` from planner's own command-line parser: do not edit.\n"
      << ".TH PLANNER 1 \"\" \"planner " << PLANNER_VERSION << "\" \"User Commands\"\n"
      << ".SH NAME\nplanner \\- lint and plan local LLM inference configs\n"
      << ".SH SYNOPSIS\n";
  for (const auto& s : subs) out << synopsis(s) << "\n.br\n";
  out << "\\fBplanner\\fR \\fB\\-\\-version\\fR\n"
      << ".SH DESCRIPTION\n"
      << kDescription << "\n"
      << ".SH OPTIONS\n";
  for (const auto& o : root.options) option_entry(out, o);
  out << ".SH COMMANDS\n";
  for (const auto& s : subs) {
    out << ".SS \"" << s.name << "\"\n" << synopsis(s) << "\n.PP\n" << roff(s.description) << ".\n";
    for (const auto& o : s.options)
      if (!is_help(o)) option_entry(out, o);
  }
  out << kTail;
}

}  // namespace

Command add_man(CLI::App& app) {
  auto* cmd = app.add_subcommand("man", "print the manual page (roff: planner man | man -l -)");
  return {cmd, [&app] {
            render_man_page(std::cout, app);
            return kExitOk;
          }};
}

}  // namespace planner::cli
