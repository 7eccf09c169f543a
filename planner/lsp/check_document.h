#pragma once
// `planner check` on an open document: the same pipeline (check/check.h) and the project's
// .planner.yaml as check reads it (select, ignore, per-file-ignores), found upward from the
// document's own directory, since an editor's server runs wherever the editor started it.
#include <string>
#include <vector>

#include "check/check.h"

namespace planner::lsp {

struct CheckedDocument {
  FileResult result;
  CheckOptions options;  // what the settings selected (the fix-all action fixes the same rules)
  // A .planner.yaml that could not be used, one line per problem: shown to the user, and the
  // document is checked with the defaults meanwhile (as `planner check` would refuse to run).
  std::vector<std::string> settings_errors;
};

// `path` is the document's file path (uri.h), or its URI where it has none (untitled:): model
// files named in it are then relative to the working directory.
CheckedDocument check_document(const std::string& path, bool is_file, std::string text);

}  // namespace planner::lsp
