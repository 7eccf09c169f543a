#include "launch/steps.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "core/text.h"
#include "launch/names.h"
#include "launch/quote.h"

namespace planner::steps {

std::string join_path(const std::string& base, const std::string& rel) {
  if (base.empty() || std::filesystem::path(rel).is_absolute()) return not_an_option(rel);
  return not_an_option((std::filesystem::path(base) / rel).lexically_normal().string());
}

bool usable_repo(RouteLaunch& rl, std::string_view key, const std::string& repo) {
  const std::string problem = repo_id_problem(repo);
  if (problem.empty()) return true;
  rl.skipped = fmt::format("{} '{}' is not a Hugging Face repo id: {}", key, shown_value(repo), problem);
  return false;
}

Word lit(std::string s) { return Word{std::move(s), "", ""}; }

std::vector<Word> words(std::initializer_list<std::string> ws) {
  std::vector<Word> out;
  for (const auto& w : ws) out.push_back(lit(w));
  return out;
}

void add_tool(LaunchPlan& p, const std::string& t) {
  if (std::find(p.tools.begin(), p.tools.end(), t) == p.tools.end()) p.tools.push_back(t);
}

std::string served_path(const LaunchContext& c, const ResolvedRoute& r) {
  return r.local ? r.file->path : join_path(c.opt.base, r.cfg->model.value);
}

}  // namespace planner::steps
