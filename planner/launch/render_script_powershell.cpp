// `planner script -o run.ps1`: the launch plan as a PowerShell script for Windows, doing what the
// bash script does (launch/render_script.cpp): preflight, download/convert, each route's server
// started, health-checked and validated, the watchdog, every started server stopped on exit.
// Written for Windows PowerShell 5.1 (what Windows ships) as well as PowerShell 7. Config values
// reach the script only as '...' strings (powershell_string: nothing expands in them), and
// comments and log lines only through shown_value / shown_text (one line, control characters
// escaped). Programs are started with a command line the script builds word by word as the C
// runtime splits it (ConvertTo-CommandLine), because Windows PowerShell 5.1 passes a native
// command an empty word or one holding a double quote wrongly.
#include <fmt/format.h>

#include <cmath>

#include "core/text.h"
#include "launch/quote.h"
#include "launch/render.h"
#include "launch/watchdog.h"

namespace planner {

namespace {

constexpr const char* kHelpers = R"PS(
New-Item -ItemType Directory -Force -Path $LogDir | Out-Null
$Started = New-Object System.Collections.ArrayList  # every server this script started; cleanup stops exactly these
$script:ServerProcess = $null
$Invariant = [Globalization.CultureInfo]::InvariantCulture

# Write-Log MESSAGE: one line to stderr and $LogFile. Control characters become '?', so no value
# in a message (a path, a server's argv) can start another line in the log.
function Write-Log([string]$Message) {
  $line = (Get-Date).ToString('yyyy-MM-dd\THH\:mm\:ss', $Invariant) + ' ' + ($Message -replace '\p{Cc}', '?')
  [Console]::Error.WriteLine($line)
  Add-Content -LiteralPath $LogFile -Value $line
}
# Stop-Run MESSAGE: ends the run (the main block logs it, stops the servers and exits 1).
function Stop-Run([string]$Message) { throw $Message }

# ConvertTo-CommandLine WORDS: the words as one Windows command line that the C runtime
# (CommandLineToArgvW) splits back into the same words: a word that is empty or holds a space,
# tab or quote is wrapped in quotes, each quote escaped with \ and the backslashes before a quote
# or the closing quote doubled.
function ConvertTo-CommandLine([string[]]$Words) {
  $quoted = foreach ($w in $Words) {
    if ($w -ne '' -and $w -notmatch '[\s"]') { $w }
    else { '"' + (($w -replace '(\\*)"', '$1$1\"') -replace '(\\+)$', '$1$1') + '"' }
  }
  return ($quoted -join ' ')
}

# Resolve-Tool NAME: the program's path, from PATH (with PATHEXT: llama-server finds llama-server.exe).
function Resolve-Tool([string]$Name) {
  $cmd = Get-Command -Name $Name -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
  if (-not $cmd) { Stop-Run "${Name}: not found on PATH" }
  return $cmd.Source
}

# Start-Tool ARGV ENVIRONMENT OPTIONS: Start-Process for ARGV with the variables of ENVIRONMENT set
# for it alone (the child copies them at its start; the old values come back after).
function Start-Tool([string[]]$Argv, [Collections.IDictionary]$Environment, [hashtable]$Options) {
  $Options.FilePath = Resolve-Tool $Argv[0]
  $line = ConvertTo-CommandLine ($Argv | Select-Object -Skip 1)
  if ($line) { $Options.ArgumentList = $line }
  $old = @{}
  foreach ($k in $Environment.Keys) {
    $old[$k] = [Environment]::GetEnvironmentVariable($k)
    [Environment]::SetEnvironmentVariable($k, $Environment[$k])
  }
  try { return Start-Process -NoNewWindow -PassThru @Options }
  finally { foreach ($k in $old.Keys) { [Environment]::SetEnvironmentVariable($k, $old[$k]) } }
}

# Invoke-Tool ARGV [ENVIRONMENT]: runs a step to its end; a non-zero exit ends the run.
function Invoke-Tool([string[]]$Argv, [Collections.IDictionary]$Environment = @{}) {
  $p = Start-Tool $Argv $Environment @{ Wait = $true }
  if ($p.ExitCode -ne 0) { Stop-Run "$($Argv[0]) exited with $($p.ExitCode)" }
}

# Start-Server NAME LOG ARGV [ENVIRONMENT]: runs ARGV in the background, its output in LOG and
# its errors in LOG.err (Start-Process cannot send both to one file).
function Start-Server([string]$Name, [string]$Log, [string[]]$Argv, [Collections.IDictionary]$Environment = @{}) {
  Write-Log "starting ${Name}: $($Argv -join ' ') (log: $Log)"
  $p = Start-Tool $Argv $Environment @{ RedirectStandardOutput = $Log; RedirectStandardError = "$Log.err" }
  [void]$Started.Add($p)
  $script:ServerProcess = $p
}

function Stop-Server($Process) {
  if ($Process -and -not $Process.HasExited) {
    Stop-Process -Id $Process.Id -Force -ErrorAction SilentlyContinue
    $Process.WaitForExit()
    Write-Log "stopped server pid $($Process.Id)"
  }
}
function Stop-Started {
  foreach ($p in $Started) { Stop-Server $p }
  $Started.Clear()
}

# Wait-Healthy NAME URL PROCESS: until the health endpoint answers 200 (llama-server answers 503
# while it loads the model). Four polls in the first second, then one a second (as run.sh).
function Wait-Healthy([string]$Name, [string]$Url, $Process) {
  $polls = 0
  while ($true) {
    try {
      if ((Invoke-WebRequest -UseBasicParsing -Uri $Url -TimeoutSec 5).StatusCode -eq 200) { break }
    } catch { }
    if ($Process.HasExited) { Stop-Run "${Name}: the server exited; see its log" }
    if ($polls -ge ($HealthTimeout + 3)) { Stop-Run "${Name}: not healthy after ${HealthTimeout}s" }
    if ($polls -lt 4) { Start-Sleep -Milliseconds 250 } else { Start-Sleep -Seconds 1 }
    $polls++
  }
  Write-Log "${Name}: healthy ($Url)"
}

# Test-Server NAME PORT PROCESS: three short prompts through the OpenAI-compatible endpoint;
# tokens/s from the response's usage.completion_tokens over the request's wall time.
function Test-Server([string]$Name, [int]$Port, $Process) {
  foreach ($prompt in @('Reply with the single word: ready.', 'What is 17 + 25? Answer with the number only.',
      'Write one short sentence about the sea.')) {
    $body = @{ messages = @(@{ role = 'user'; content = $prompt }); max_tokens = 64; temperature = 0 } |
      ConvertTo-Json -Depth 5
    $clock = [Diagnostics.Stopwatch]::StartNew()
    try {
      $reply = Invoke-RestMethod -Method Post -Uri "http://127.0.0.1:$Port/v1/chat/completions" `
        -ContentType 'application/json' -Body $body -TimeoutSec 600
    } catch { Stop-Run "${Name}: /v1/chat/completions failed: $($_.Exception.Message)" }
    $secs = $clock.Elapsed.TotalSeconds
    $tokens = 0
    if ($reply.usage -and $reply.usage.completion_tokens) { $tokens = [int]$reply.usage.completion_tokens }
    $rss = 0
    $proc = Get-Process -Id $Process.Id -ErrorAction SilentlyContinue
    if ($proc) { $rss = $proc.WorkingSet64 / 1MB }
    $used = Get-MemoryUsed
    $rate = 0
    if ($secs -gt 0) { $rate = $tokens / $secs }
    $shown = if ($null -eq $used) { 'unknown' } else { $used.ToString('F3', $Invariant) }
    Write-Log ([string]::Format($Invariant,
        '{0}: {1} tokens in {2:F2} s = {3:F1} tokens/s; server working set {4:F0} MiB; memory in use {5}',
        [object[]]@($Name, $tokens, $secs, $rate, $rss, $shown)))
    if ($tokens -le 0) { Stop-Run "${Name}: the reply reported no completion tokens" }
  }
}

# Get-MemoryUsed: the fraction of RAM in use, 0..1 ($null when unknown): Windows's free physical
# memory over the visible total (Win32_OperatingSystem).
function Get-MemoryUsed {
  try { $os = Get-CimInstance -ClassName Win32_OperatingSystem -ErrorAction Stop } catch { return $null }
  if (-not $os.TotalVisibleMemorySize) { return $null }
  return 1 - $os.FreePhysicalMemory / $os.TotalVisibleMemorySize
}
)PS";

constexpr const char* kRamCheck = R"PS(  $ramMiB = [long]((Get-CimInstance -ClassName Win32_ComputerSystem).TotalPhysicalMemory / 1MB)
  Write-Log "RAM: ${ramMiB} MiB here, ${ConfigRamMiB} MiB in the config"
  # 10 % less than the config means another machine.
  if ($ramMiB -lt [long]($ConfigRamMiB * 9 / 10)) {
    Stop-Run "this machine has ${ramMiB} MiB of RAM; the config plans for ${ConfigRamMiB} MiB"
  }
)PS";

std::string comment(const std::string& s) { return shown_text(s); }


// The step's environment as an ordered dictionary argument ("" when it has none).
std::string environment_array(const Step& s) {
  if (s.environment.empty()) return "";
  std::vector<std::string> parts;
  for (const auto& [k, v] : s.environment)
    parts.push_back(fmt::format("{} = {}", powershell_string(k), powershell_string(v)));
  return " ([ordered]@{ " + join(parts, "; ") + " })";
}

// One prepare step inside a function body (two spaces of indent).
std::string prepare_step(const RouteLaunch& r, const Step& st) {
  if (st.kind == StepKind::locate) {
    return fmt::format(
        "  $script:{} = Get-ChildItem -LiteralPath {} -Recurse -File -Filter {} | Sort-Object -Property FullName | "
        "Select-Object -First 1 -ExpandProperty FullName\n  if (-not $script:{}) {{ Stop-Run {} }}\n",
        st.var, powershell_string(st.dir), powershell_string(st.pattern), st.var,
        powershell_string(fmt::format("route {}: no file matching {} in {}", shown_value(r.name),
                                      shown_value(st.pattern), shown_value(st.dir, 0))));
  }
  std::string run = st.kind == StepKind::write ? render_step_powershell(st)
                                               : "Invoke-Tool " + powershell_argv_array(st.argv) + environment_array(st);
  if (st.creates.empty()) return "  " + run + "\n";
  return fmt::format("  if (Test-Path -LiteralPath {}) {{\n    Write-Log {}\n  }} else {{\n    {}\n  }}\n",
                     powershell_string(st.creates),
                     powershell_string(fmt::format("{}: {} exists, not redone", shown_value(r.name),
                                                   shown_value(st.creates, 0))),
                     run);
}

}  // namespace

std::string powershell_argv_array(const std::vector<Word>& argv) {
  std::vector<std::string> parts;
  for (const auto& w : argv) {
    // Always an expression (a string, a variable, a Join-Path): a bare word would be a command.
    if (!w.var.empty()) parts.push_back("$script:" + w.var);
    else if (!w.env.empty()) parts.push_back(fmt::format("(Join-Path $env:{} {})", w.env, powershell_string(w.text)));
    else parts.push_back(powershell_string(w.text));
  }
  return "@(" + join(parts, ", ") + ")";
}

std::string render_run_script_powershell(const std::string& file, const LaunchPlan& plan) {
  std::string s;
  s += fmt::format("# Generated by `planner script` from {}; regenerate rather than edit.\n", comment(file));
  s += fmt::format("# Flags checked against {} (docs/launch.md).\n", launch_checked_against());
  s += R"PS(#
# Preflight (tools, RAM), download/convert, then each route's server: started, health-checked and
# validated with three prompts. Routes that are not kept running are stopped after validation, so
# they never share memory; the rest run under a memory-pressure watchdog until Ctrl-C. Every
# server this script started is stopped on exit. Paths are relative to the script's directory.
# Run it with: powershell -ExecutionPolicy Bypass -File run.ps1 (or pwsh -File run.ps1).
#
# Environment:
#   PLANNER_RUN_ONCE=1        validate, run the watchdog once, stop everything and exit (CI, tests)
#   PLANNER_WATCH_INTERVAL=N  seconds between memory checks (default 5)
#   PLANNER_HEALTH_TIMEOUT=N  seconds to wait for a server to load (default 900)
#   PLANNER_COOLDOWN=N        seconds the watchdog waits after acting before it acts again (default 120)
#   PLANNER_HYSTERESIS=F      how far below the threshold pressure must fall before the watchdog acts again (0.05)
#   PLANNER_WATCH_ROUNDS=N    stop after N memory checks (tests; default 0: until Ctrl-C)
#   PLANNER_NVIDIA_SMI=PATH   the nvidia-smi to read GPU memory with (tests)
)PS";
  if (plan.needs_llama_cpp_dir) s += "#   LLAMA_CPP_DIR=DIR         a llama.cpp checkout, for convert_hf_to_gguf.py\n";
  if (plan.wired_limit_mib > 0)
    s += fmt::format("# The routes need the macOS GPU wired limit raised to {} MiB: a Mac setting, not checked here.\n",
                     plan.wired_limit_mib);
  s += R"PS(#Requires -Version 5.1
Set-StrictMode -Version 1.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'  # Invoke-WebRequest's progress bar slows Windows PowerShell 5.1
if ($PSScriptRoot) {  # empty when the script is piped in
  Set-Location -LiteralPath $PSScriptRoot
}
[Environment]::CurrentDirectory = (Get-Location).ProviderPath  # .NET calls resolve relative paths here too

)PS";
  s += fmt::format("$LogFile = {}\n$LogDir = {}\n", powershell_string(plan.log_file), powershell_string(plan.log_dir));
  s += fmt::format("$ConfigRamMiB = {}\n",
                   static_cast<long long>(std::floor(plan.ram_bytes / (1024.0 * 1024.0))));
  s += fmt::format("$Threshold = {}\n",
                   powershell_string(plan.pressure_threshold ? fmt::format("{}", *plan.pressure_threshold) : ""));
  s += fmt::format("$Action = {}\n", powershell_string(plan.pressure_action.empty() ? "notify" : plan.pressure_action));
  if (!plan.log_note.empty())
    s += fmt::format("# {}\n$LogNote = {}\n", comment(plan.log_note), powershell_string(plan.log_note));
  s += R"PS($RunOnce = if ($env:PLANNER_RUN_ONCE) { $env:PLANNER_RUN_ONCE } else { '0' }
$WatchInterval = if ($env:PLANNER_WATCH_INTERVAL) { [int]$env:PLANNER_WATCH_INTERVAL } else { 5 }
$HealthTimeout = if ($env:PLANNER_HEALTH_TIMEOUT) { [int]$env:PLANNER_HEALTH_TIMEOUT } else { 900 }
)PS";
  s += watchdog_settings_powershell();
  s += kHelpers;
  s += watchdog_helpers_powershell();

  // Preflight.
  s += "\nfunction Invoke-Preflight {\n";
  if (!plan.tools.empty()) {
    std::vector<std::string> tools;
    for (const auto& t : plan.tools) tools.push_back(powershell_string(t));
    s += fmt::format(
        "  $missing = @(foreach ($tool in @({})) {{\n"
        "    if (-not (Get-Command -Name $tool -CommandType Application -ErrorAction SilentlyContinue)) {{ $tool }}\n"
        "  }})\n"
        "  if ($missing.Count -gt 0) {{ Stop-Run \"missing tools: $($missing -join ' ') (installs: docs/launch.md)\" }}\n",
        join(tools, ", "));
  }
  if (plan.needs_llama_cpp_dir)
    s += "  if (-not $env:LLAMA_CPP_DIR -or -not (Test-Path -LiteralPath (Join-Path $env:LLAMA_CPP_DIR "
         "'convert_hf_to_gguf.py'))) {\n    Stop-Run 'set LLAMA_CPP_DIR to a llama.cpp checkout (convert_hf_to_gguf.py)'\n  }\n";
  s += kRamCheck;
  s += "}\n";

  // Per route: Initialize-RouteN (download / convert) and Start-RouteN.
  for (std::size_t i = 0; i < plan.routes.size(); ++i) {
    const RouteLaunch& r = plan.routes[i];
    const std::string name = powershell_string(shown_value(r.name));
    s += route_comment(r);
    if (!r.scripted()) continue;
    if (r.serve) s += watchdog_route_powershell(plan, i);
    s += fmt::format("function Initialize-Route{} {{\n", i);
    bool any = false;
    for (const auto& st : r.steps) {
      if (st.kind == StepKind::serve) continue;
      any = true;
      s += fmt::format("  # {}\n", comment(st.purpose)) + prepare_step(r, st);
    }
    if (!any) s += "  # the model is on disk already\n";
    s += "}\n";
    for (const auto& st : r.steps) {
      if (st.kind != StepKind::serve) continue;
      s += fmt::format("function Start-Route{} {{\n  # {}\n  Start-Server {} {} {}{}\n", i, comment(st.purpose), name,
                       powershell_string(r.log), powershell_argv_array(st.argv), environment_array(st));
      s += fmt::format("  Wait-Healthy {} {} $script:ServerProcess\n", name,
                       powershell_string(fmt::format("http://127.0.0.1:{}{}", r.port, r.health_path)));
      s += fmt::format("  Test-Server {} {} $script:ServerProcess\n}}\n", name, r.port);
    }
  }

  // Main.
  s += "\n$code = 0\ntry {\n";
  if (!plan.log_note.empty()) s += "  Write-Log \"note: $LogNote\"\n";
  s += "  Invoke-Preflight\n";
  for (std::size_t i = 0; i < plan.routes.size(); ++i)
    if (plan.routes[i].scripted()) s += fmt::format("  Initialize-Route{}\n", i);
  s += "  # Validated one at a time, then stopped: these routes are not kept in memory together.\n";
  const ServeOrder order = serve_order(plan);
  for (std::size_t i : order.validated_then_stopped)
    s += fmt::format("  Start-Route{}\n  Stop-Server $script:ServerProcess\n", i);
  s += "  # Kept running (inference.resident_routes, else the first route).\n";
  for (std::size_t i : order.kept) s += fmt::format("  Start-Route{0}\n  Add-Serving {0}\n", i);
  s += R"PS(  Write-Log "serving; watchdog every ${WatchInterval}s (Ctrl-C stops everything)"
  while (Test-AnyServing) {
    Watch-Once
    if ($RunOnce -eq '1') { break }
    if (Test-WatchRoundsDone) { break }
    Start-Sleep -Seconds $WatchInterval
  }
  Write-Log 'done'
} catch {
  Write-Log "error: $($_.Exception.Message)"
  $code = 1
} finally {
  Stop-Started  # also on Ctrl-C
}
exit $code
)PS";
  return s;
}

}  // namespace planner
