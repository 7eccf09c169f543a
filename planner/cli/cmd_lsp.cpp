// `planner lsp`: the language server (planner/lsp/server.h) on standard input and output, for
// editors (docs/editors.md). Findings as you type, fixes as code actions, hover, completion.
#include <csignal>
#include <memory>
#include <unistd.h>

#include "cli/commands.h"
#include "lsp/server.h"

namespace planner::cli {

Command add_lsp(CLI::App& app) {
  auto stdio = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand("lsp", "run the language server on stdin/stdout (LSP 3.17), for editors: see docs/editors.md");
  // vscode-languageclient and some others pass --stdio; it is the only transport, so it changes nothing.
  cmd->add_flag("--stdio", *stdio, "talk LSP over stdin and stdout (the default and only transport)");
  return {cmd, [] {
            // A client that closes its end makes writes fail with EPIPE, ending the session,
            // instead of killing the process mid-message.
            std::signal(SIGPIPE, SIG_IGN);
            return lsp::Server(STDIN_FILENO, STDOUT_FILENO).run();
          }};
}

}  // namespace planner::cli
