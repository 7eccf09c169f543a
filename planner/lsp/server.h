#pragma once
// `planner lsp`: a language server over stdio (LSP 3.17), one message at a time. The lifecycle
// (initialize, shutdown, exit), the document sync and the dispatch to the handlers
// (check_document, code_actions, hover, completion) live here; the wire format in framing.h.
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "lsp/check_document.h"
#include "lsp/documents.h"
#include "lsp/position.h"

namespace planner::lsp {

class Server {
 public:
  Server(int in_fd, int out_fd) : in_(in_fd), out_(out_fd) {}
  // Serves until `exit` or the end of input; the process's exit status: 0 after shutdown + exit,
  // 1 for an exit without shutdown (LSP "exit"), for input that ends without one, or for a
  // stream whose framing is broken.
  int run();

 private:
  enum class State { uninitialized, running, shut_down };

  void handle(const std::string& body);
  void request(const nlohmann::json& id, const std::string& method, const nlohmann::json& params);
  void notification(const std::string& method, const nlohmann::json& params);
  nlohmann::json initialize(const nlohmann::json& params);
  void did_change(const nlohmann::json& params);
  void publish(const std::string& uri);
  // The check of `doc`: the one last published while the text is the same (code actions), else
  // a new one (every publish: the settings or the model files beside it may have changed).
  const CheckedDocument& checked(const std::string& uri, const OpenDocument& doc, bool fresh = false);

  void send(const nlohmann::json& message);
  void reply(const nlohmann::json& id, nlohmann::json result);
  void reply_error(const nlohmann::json& id, int code, const std::string& message);
  void show_message(int type, const std::string& message);

  int in_, out_;
  bool output_gone_ = false, exit_ = false;
  State state_ = State::uninitialized;
  Encoding enc_ = Encoding::utf16;
  DocumentStore docs_;
  std::map<std::string, CheckedDocument> checked_;  // the last check of each open document
  std::string settings_message_;  // the settings problem last shown, so it is shown once
};

}  // namespace planner::lsp
