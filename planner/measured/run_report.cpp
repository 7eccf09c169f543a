#include "measured/run_report.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/text.h"
#include "load/document.h"
#include "validate/schema_check.h"

namespace planner {

namespace {

// A report holds one entry per prompt: a 10-minute suite of long prompts is more than a config's
// 1 MiB.
constexpr std::size_t kMaxReportBytes = 64u << 20;

std::string located(const std::string& path, const Diagnostic& d) {
  return fmt::format("{}:{}:{}: {}", shown_text(path), std::max(d.line, 1), std::max(d.column, 1),
                     shown_text(d.message));
}

ReportPlace place(const Node* n) { return n ? ReportPlace{n->line, n->column} : ReportPlace{}; }

std::string text_of(const Node& map, const char* key) {
  const Node* n = map.get(key);
  return n && n->is_string() ? n->text : std::string();
}

}  // namespace

std::optional<RunReport> parse_run_report(const std::string& path, std::string text, std::string& error) {
  LoadLimits limits;
  limits.max_bytes = kMaxReportBytes;
  limits.max_expanded_bytes = kMaxReportBytes;
  limits.max_nodes = 4000000;
  LoadResult loaded = parse_yaml(path, std::move(text), limits);
  if (!loaded.ok()) {
    error = located(path, loaded.errors.front());
    return std::nullopt;
  }
  const Document& doc = loaded.doc;
  if (auto problems = check_run_report_schema(doc); !problems.empty()) {
    error = located(path, problems.front());
    if (problems.size() > 1) error += fmt::format(" (and {} more)", problems.size() - 1);
    return std::nullopt;
  }
  // The schema holds every key below to its type.
  RunReport report;
  report.path = path;
  report.finished = text_of(doc.root, "finished");
  for (const Node& r : doc.root.get("routes")->values) {
    MeasuredRoute m;
    m.route = text_of(r, "route");
    m.runtime = text_of(r, "runtime");
    m.model = text_of(r, "model");
    m.context = r.get("context")->integer;
    m.at_route = place(r.get("route"));
    m.at_runtime = place(r.get("runtime"));
    m.at_model = place(r.get("model"));
    m.at_context = place(r.get("context"));
    if (const Node* t = r.get("tokens_per_s"); t->is_number()) m.tokens_per_s = t->number;
    for (const Node& p : r.get("peak_memory")->values)
      m.peaks.push_back({text_of(p, "device"), text_of(p, "source"), p.get("bytes")->number});
    m.watchdog_actions = r.get("watchdog_actions")->values.size();
    const Node* v = r.get("validation");
    m.passed = v->get("passed")->integer;
    m.failed = v->get("failed")->integer;
    m.skipped = v->get("skipped")->integer;
    m.stopped_by_budget = v->get("stopped_by_budget")->boolean;
    report.routes.push_back(std::move(m));
  }
  return report;
}

}  // namespace planner
