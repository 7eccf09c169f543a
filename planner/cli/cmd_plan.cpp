// `planner plan FILE`: what each route costs and how it fits the machine, as text, JSON or a budget
// chart (SVG, an HTML page, GitHub markdown). A plan
// is a report: routes that do not fit still exit 0 (`planner check` is the gate). A file that does
// not load or breaks the schema has no plan: its diagnostics are printed as `check` prints them.
#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <memory>

#include "check/check.h"
#include "cli/commands.h"
#include "core/errno_text.h"
#include "core/text.h"
#include "estimate/analysis.h"
#include "measured/compare.h"
#include "measured/run_report.h"
#include "render/plan.h"
#include "render/render.h"

namespace planner::cli {

namespace {
struct PlanArgs {
  std::string file, format = "text", color = "auto", measured;
};

// --measured FILE: planner-run.json read and matched against the config's routes; nullopt after
// one line on stderr (PATH:LINE:COL where the report has one) when it cannot be.
std::optional<MeasuredComparison> read_measured(const PlanArgs& a, const Analysis& analysis) {
  std::ifstream in(a.measured, std::ios::binary);
  std::string error;
  if (!in) {
    std::cerr << fmt::format("planner: error: cannot read '{}': {}\n", shown_text(a.measured), errno_text(errno));
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  auto report = parse_run_report(a.measured, text.str(), error);
  std::optional<MeasuredComparison> c;
  if (report) c = compare_measured(std::move(*report), analysis, a.file, error);
  if (!c) std::cerr << fmt::format("planner: error: {}\n", error);
  return c;
}

int run_plan(const PlanArgs& a) {
  std::string text, error;
  if (!read_config_file(a.file, text, error)) {
    std::cerr << fmt::format("planner: error: cannot read '{}': {}\n", shown_text(a.file), shown_text(error));
    return kExitUsage;
  }
  // Only the load and schema stages (LI001-LI003): the rules' findings are check's business.
  CheckOptions gate_only;
  gate_only.select = {"LI00"};
  // The page and the step summary say how many findings check has: that is check's whole run.
  const bool with_findings = a.format == "html" || a.format == "markdown";
  std::string checked = with_findings ? text : std::string();
  FileResult gate = check_text(a.file, std::move(text), gate_only);
  // A load error is LI001, which no comment can suppress, so an empty list means the document loaded.
  if (!gate.diagnostics.empty() || !gate.doc.root.is_map()) {
    if (gate.diagnostics.empty())  // suppressed with `# planner: ignore[...]`, but still no plan
      std::cerr << fmt::format("planner: error: '{}' is not a config mapping\n", shown_text(a.file));
    render_text(std::cout, {gate}, use_color(a.color));
    return kExitFindings;
  }
  Analysis analysis = analyze(gate.doc);
  std::optional<MeasuredComparison> measured;
  if (!a.measured.empty()) {
    if (a.format != "text" && a.format != "json") {
      std::cerr << "planner: error: --measured goes with --format text or json\n";
      return kExitUsage;
    }
    measured = read_measured(a, analysis);
    if (!measured) return kExitUsage;
  }
  if (a.format == "json") {
    render_plan_json(std::cout, a.file, analysis, measured ? &*measured : nullptr);
  } else if (a.format == "svg") {
    render_plan_svg(std::cout, a.file, analysis);
  } else if (with_findings) {
    const FileResult full = check_text(a.file, std::move(checked));
    if (a.format == "html") render_plan_html(std::cout, a.file, analysis, full.diagnostics);
    else render_plan_markdown(std::cout, a.file, analysis, full.diagnostics);
  } else {
    render_plan_text(std::cout, a.file, analysis, use_color(a.color));
    if (measured) render_measured_text(std::cout, *measured);
  }
  std::cout.flush();
  return kExitOk;
}
}  // namespace

Command add_plan(CLI::App& app) {
  auto args = std::make_shared<PlanArgs>();
  auto* cmd = app.add_subcommand("plan", "per route: model, runtime, memory, headroom, tokens/s; which routes fit together");
  cmd->add_option("file", args->file, "config file")->required();
  cmd->add_option("--format", args->format, "output format")->check(CLI::IsMember({"text", "json", "svg", "html", "markdown"}));
  cmd->add_option("--measured", args->measured,
                  "planner-run.json from a run script: measured tokens/s and memory beside the estimate");
  cmd->add_option("--color", args->color, "colored text output")->check(CLI::IsMember({"auto", "always", "never"}));
  return {cmd, [args] { return run_plan(*args); }};
}

}  // namespace planner::cli
