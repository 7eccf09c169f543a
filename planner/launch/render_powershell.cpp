// PowerShell forms of the launch steps, for `planner launch` on Windows: one line each, typed or
// pasted into a PowerShell prompt. Every word from a config goes through powershell_quote (bare
// only where argument mode keeps it as is, else '...'); a located file is a variable and a file
// in a directory the user names is (Join-Path $env:DIR 'name'), never a string spliced in.
#include <fmt/format.h>

#include "core/text.h"
#include "launch/quote.h"
#include "launch/render.h"

namespace planner {

std::string render_word_powershell(const Word& w) {
  if (!w.var.empty()) return "$" + w.var;
  if (!w.env.empty()) return fmt::format("(Join-Path $env:{} {})", w.env, powershell_string(w.text));
  return powershell_quote(w.text);
}

std::string render_step_powershell(const Step& s) {
  if (s.kind == StepKind::locate)
    // -Filter matches without regard to case on Windows, as find -iname does; the first path in
    // order is the first shard of a split file.
    return fmt::format(
        "${} = Get-ChildItem -LiteralPath {} -Recurse -File -Filter {} | Sort-Object -Property FullName | "
        "Select-Object -First 1 -ExpandProperty FullName",
        s.var, powershell_string(s.dir), powershell_string(s.pattern));
  if (s.kind == StepKind::write) {
    // WriteAllText: UTF-8 without a byte-order mark and LF line ends, as the file is on macOS and
    // Linux (Set-Content in Windows PowerShell 5.1 would write ANSI or a BOM).
    std::vector<std::string> lines;
    for (const auto& l : s.lines) lines.push_back(powershell_string(l));
    return fmt::format(
        "New-Item -ItemType Directory -Force -Path {} | Out-Null; [IO.File]::WriteAllText([IO.Path]::Combine("
        "$PWD.ProviderPath, {}), ((@({}) -join \"`n\") + \"`n\"))",
        powershell_string(s.dir), powershell_string(s.creates), join(lines, ", "));
  }
  std::string out;
  for (const auto& [k, v] : s.environment) out += fmt::format("$env:{} = {}; ", k, powershell_string(v));
  for (std::size_t i = 0; i < s.argv.size(); ++i) {
    std::string w = render_word_powershell(s.argv[i]);
    // A command name that needs quotes is run with the call operator (a quoted first word is a
    // string, not a command).
    if (i == 0 && (w.front() == '\'' || w.front() == '$' || w.front() == '(')) out += "& ";
    out += (i ? " " : "") + w;
  }
  return out;
}

}  // namespace planner
