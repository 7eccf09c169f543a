// run.ps1's watchdog (launch/watchdog.h): the bash watchdog's logic (launch/watchdog_bash.cpp)
// in PowerShell 5.1. A route is a hashtable in $Routes (by index); its rungs are hashtables whose
// Prepare and Serve are script blocks. Windows has no desktop-notification command, so notify
// only logs there.
#include <fmt/format.h>

#include "core/text.h"
#include "launch/quote.h"
#include "launch/render.h"
#include "launch/watchdog.h"

namespace planner {

namespace {

constexpr const char* kWatchdogSettingsPs = R"PS($Cooldown = if ($env:PLANNER_COOLDOWN) { [int]$env:PLANNER_COOLDOWN } else { 120 }
$Margin = if ($env:PLANNER_HYSTERESIS) { [double]::Parse($env:PLANNER_HYSTERESIS, [Globalization.CultureInfo]::InvariantCulture) } else { 0.05 }
$WatchRounds = if ($env:PLANNER_WATCH_ROUNDS) { [int]$env:PLANNER_WATCH_ROUNDS } else { 0 }
$NvidiaSmi = if ($env:PLANNER_NVIDIA_SMI) { $env:PLANNER_NVIDIA_SMI } else { 'nvidia-smi' }
)PS";

constexpr const char* kWatchdogHelpersPs = R"PS(
# --- the watchdog: monitoring.memory_pressure_threshold and action_on_threshold ----------------
# $Routes[R]: Name, Url (health), Log, Process (its server now), Next (the next rung's index) and
# Rungs (Label, Skip, Tools, Prepare, Serve).
$Routes = @{}
$ServingRoutes = New-Object System.Collections.ArrayList
$script:Armed = $true           # $false once the watchdog acted on a crossing, until pressure falls below $Rearm
$script:LastActionAt = [datetime]::MinValue
$script:Exhausted = $false      # the action has nothing left to do: the watchdog only logs
$script:Rounds = 0
$Rearm = if ($Threshold -eq '') { 0 } else { [double]::Parse($Threshold, $Invariant) - $Margin }

function Add-Serving([int]$Route) {
  $Routes[$Route].Process = $script:ServerProcess
  [void]$ServingRoutes.Add($Route)
}

function Test-AnyServing {
  foreach ($r in $ServingRoutes) { $p = $Routes[$r].Process; if ($p -and -not $p.HasExited) { return $true } }
  return $false
}

# Get-LastUse R: when route R's server last wrote its log (servers log each request).
function Get-LastUse([int]$Route) {
  $t = [datetime]::MinValue
  foreach ($f in @($Routes[$Route].Log, "$($Routes[$Route].Log).err")) {
    $item = Get-Item -LiteralPath $f -ErrorAction SilentlyContinue
    if ($item -and $item.LastWriteTimeUtc -gt $t) { $t = $item.LastWriteTimeUtc }
  }
  return $t
}

# Get-LruRoutes: the routes whose server runs, least recently used first.
function Get-LruRoutes {
  $running = @(foreach ($r in $ServingRoutes) { $p = $Routes[$r].Process; if ($p -and -not $p.HasExited) { $r } })
  return @($running | Sort-Object -Property @{ Expression = { Get-LastUse $_ } }, @{ Expression = { $_ } })
}

# Get-Pressure: @{ Value; Sources }: the highest of the RAM in use (Get-MemoryUsed) and each NVIDIA
# GPU's memory in use (nvidia-smi); $null when neither is known.
function Get-Pressure {
  $value = -1.0
  $sources = @()
  $ram = Get-MemoryUsed
  if ($null -ne $ram) { $value = $ram; $sources += 'RAM ' + $ram.ToString('F3', $Invariant) }
  if (Get-Command -Name $NvidiaSmi -CommandType Application -ErrorAction SilentlyContinue) {
    $i = 0
    try { $lines = @(& $NvidiaSmi --query-gpu=memory.used,memory.total --format=csv,noheader,nounits 2>$null) } catch { $lines = @() }
    foreach ($line in $lines) {
      $parts = "$line" -split ',\s*'
      if ($parts.Count -ge 2 -and [double]$parts[1] -gt 0) {
        $g = [double]::Parse($parts[0], $Invariant) / [double]::Parse($parts[1], $Invariant)
        if ($g -gt $value) { $value = $g }
        $sources += "GPU$i " + $g.ToString('F3', $Invariant)
      }
      $i++
    }
  }
  if ($value -lt 0) { return $null }
  return @{ Value = $value; Sources = ($sources -join ', ') }
}

# Invoke-Rung R RUNG: route R's server replaced by the rung's (downloads first, when it has any;
# a failed one is logged and skipped rather than ending the run). $false when skipped.
function Invoke-Rung([int]$Route, $Rung) {
  $route = $Routes[$Route]
  foreach ($tool in $Rung.Tools) {
    if (-not (Get-Command -Name $tool -CommandType Application -ErrorAction SilentlyContinue)) {
      Write-Log "watchdog: ${Action}: route $($route.Name): skipping $($Rung.Label): $tool is not installed"
      return $false
    }
  }
  try { $null = & $Rung.Prepare } catch {
    Write-Log "watchdog: ${Action}: route $($route.Name): skipping $($Rung.Label): preparing it failed: $($_.Exception.Message)"
    return $false
  }
  Write-Log "watchdog: ${Action}: route $($route.Name): restarting with $($Rung.Label) (was pid $($route.Process.Id))"
  Stop-Server $route.Process
  $null = & $Rung.Serve
  Wait-Healthy $route.Name $route.Url $script:ServerProcess
  $route.Process = $script:ServerProcess
  Write-Log "watchdog: ${Action}: route $($route.Name) now runs $($Rung.Label) (pid $($script:ServerProcess.Id))"
  return $true
}

# Step-Down: one rung down the ladder of the least recently used route that has one left; rungs
# written as skipped are logged and passed over. $false when no route has a rung left.
function Step-Down {
  foreach ($r in Get-LruRoutes) {
    $route = $Routes[$r]
    while ($route.Next -lt $route.Rungs.Count) {
      $rung = $route.Rungs[$route.Next]
      $route.Next = $route.Next + 1
      if ($rung.Skip) { Write-Log "watchdog: ${Action}: route $($route.Name): skipping $($rung.Label): $($rung.Skip)"; continue }
      if (Invoke-Rung $r $rung) { return $true }
    }
  }
  return $false
}

# Stop-LruRoute: stops the least recently used route's server. $false when none runs.
function Stop-LruRoute {
  $lru = @(Get-LruRoutes)
  if ($lru.Count -eq 0) { return $false }
  $route = $Routes[$lru[0]]
  Write-Log "watchdog: unload_model: stopping route $($route.Name) (pid $($route.Process.Id)), the least recently used"
  Stop-Server $route.Process
  $route.Process = $null
  return $true
}

# Invoke-OnPressure READING: monitoring.action_on_threshold, once for this crossing.
function Invoke-OnPressure($Reading) {
  Write-Log "watchdog: memory pressure $($Reading.Value.ToString('F3', $Invariant)) >= $Threshold ($($Reading.Sources)): $Action"
  $acted = switch ($Action) {
    'truncate_context' { Step-Down }
    'downgrade_model' { Step-Down }
    'unload_model' { Stop-LruRoute }
    'notify' { $true }  # Windows has no notification command a script can rely on: the log line is it
    default { Write-Log "watchdog: $Action is not an action planner knows; only logged"; $true }
  }
  if (-not $acted) {
    $script:Exhausted = $true
    Write-Log "watchdog: ${Action}: nothing left to step down to; the watchdog logs from now on and does not act"
  }
}

# Watch-Once: one reading. The watchdog acts once per crossing of the threshold: then not again
# until pressure falls below $Rearm ($Threshold - $Margin) and crosses again, and never within
# $Cooldown seconds of its last action.
function Watch-Once {
  if ($Threshold -eq '') { Write-Log 'watchdog: off (no monitoring.memory_pressure_threshold)'; return }
  $reading = Get-Pressure
  if ($null -eq $reading) { Write-Log 'watchdog: memory pressure unknown here'; return }
  $used = $reading.Value.ToString('F3', $Invariant)
  $rearmShown = $Rearm.ToString('F3', $Invariant)
  $now = Get-Date
  if ($reading.Value -ge [double]::Parse($Threshold, $Invariant)) {
    $left = [math]::Ceiling($Cooldown - ($now - $script:LastActionAt).TotalSeconds)
    if ($script:Exhausted) { Write-Log "watchdog: memory pressure $used >= ${Threshold}: not acting ($Action has nothing left)" }
    elseif (-not $script:Armed) { Write-Log "watchdog: memory pressure $used >= ${Threshold}: acted on this crossing already (again once below $rearmShown)" }
    elseif ($left -gt 0) { Write-Log "watchdog: memory pressure $used >= ${Threshold}: cool-down, ${left}s left" }
    else {
      $script:Armed = $false
      $script:LastActionAt = $now
      Invoke-OnPressure $reading
    }
  } elseif (-not $script:Armed -and $reading.Value -lt $Rearm) {
    $script:Armed = $true
    Write-Log "watchdog: memory pressure $used < ${rearmShown}: re-armed"
  } else {
    Write-Log "watchdog: memory pressure $used ($($reading.Sources); threshold $Threshold)"
  }
}

# Test-WatchRoundsDone: whether PLANNER_WATCH_ROUNDS=N readings were taken (tests; 0: never).
function Test-WatchRoundsDone {
  $script:Rounds++
  return ($WatchRounds -gt 0 -and $script:Rounds -ge $WatchRounds)
}
)PS";

// A prepare step inside a rung's Prepare block (six spaces of indent).
std::string rung_prepare_line_ps(const RouteLaunch& r, const Step& st) {
  if (st.kind == StepKind::locate)
    return fmt::format(
        "      $script:{} = Get-ChildItem -LiteralPath {} -Recurse -File -Filter {} | Sort-Object -Property FullName | "
        "Select-Object -First 1 -ExpandProperty FullName\n      if (-not $script:{}) {{ Stop-Run {} }}\n",
        st.var, powershell_string(st.dir), powershell_string(st.pattern), st.var,
        powershell_string(fmt::format("route {}: no file matching {} in {}", shown_value(r.name),
                                      shown_value(st.pattern), shown_value(st.dir, 0))));
  const std::string run = "Invoke-Tool " + powershell_argv_array(st.argv);
  if (st.creates.empty()) return "      " + run + "\n";
  return fmt::format("      if (-not (Test-Path -LiteralPath {})) {{ {} }}\n", powershell_string(st.creates), run);
}

}  // namespace

std::string watchdog_settings_powershell() { return kWatchdogSettingsPs; }
std::string watchdog_helpers_powershell() { return kWatchdogHelpersPs; }

std::string watchdog_route_powershell(const LaunchPlan& plan, std::size_t i) {
  const RouteLaunch& r = plan.routes[i];
  const std::string name = powershell_string(shown_value(r.name));
  std::string rungs_text;
  const std::string kind = ladder_kind(plan);
  std::string note;
  if (!kind.empty()) {
    const auto& rungs = kind == "context" ? r.ladders.contexts : r.ladders.models;
    if (rungs.empty())
      note = fmt::format("# {}: no rung for route {}: {}\n", plan.pressure_action, shown_value(r.name),
                         shown_text(kind == "context" ? r.ladders.contexts_note : r.ladders.models_note));
    for (std::size_t k = 0; k < rungs.size(); ++k) {
      const LadderStep& st = rungs[k];
      rungs_text += fmt::format("  # {} rung {}: {}\n  @{{ Label = {}; Skip = {}", plan.pressure_action, k + 1,
                                shown_text(st.label), powershell_string(shown_text(st.label)),
                                powershell_string(shown_text(st.skipped)));
      if (!st.skipped.empty()) {
        rungs_text += "; Tools = @(); Prepare = {}; Serve = {} }\n";
        continue;
      }
      std::vector<std::string> tools;
      for (const auto& t : st.tools) tools.push_back(powershell_string(t));
      std::string prepare;
      if (st.needs_llama_cpp_dir)
        prepare += "      if (-not $env:LLAMA_CPP_DIR) { Stop-Run 'set LLAMA_CPP_DIR to a llama.cpp checkout' }\n";
      for (const auto& p : st.prepare) prepare += rung_prepare_line_ps(r, p);
      rungs_text += fmt::format(
          "; Tools = @({})\n    Prepare = {{\n{}    }}\n    Serve = {{ Start-Server {} {} {} }} }}\n", join(tools, ", "),
          prepare, name, powershell_string(r.log), powershell_argv_array(st.serve.argv));
    }
  }
  return note + fmt::format("$Routes[{}] = @{{ Name = {}; Url = {}; Log = {}; Process = $null; Next = 0; Rungs = @(\n{}) }}\n",
                            i, name, powershell_string(fmt::format("http://127.0.0.1:{}{}", r.port, r.health_path)),
                            powershell_string(r.log), rungs_text);
}

}  // namespace planner
