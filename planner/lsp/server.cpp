#include "lsp/server.h"

#include <iostream>

#include "core/json_text.h"
#include "core/text.h"
#include "lsp/code_actions.h"
#include "lsp/completion.h"
#include "lsp/diagnostics.h"
#include "lsp/framing.h"
#include "lsp/hover.h"
#include "lsp/json_depth.h"
#include "lsp/params.h"
#include "lsp/protocol.h"
#include "lsp/uri.h"

namespace planner::lsp {

using json = nlohmann::json;

namespace {
void log_line(const std::string& s) { std::cerr << "planner lsp: " << shown_text(s) << '\n'; }

// The document's path for the pipeline: its file path, else the URI itself (untitled:).
std::pair<std::string, bool> document_path(const std::string& uri) {
  if (auto p = path_from_uri(uri)) return {*p, true};
  return {uri, false};
}
}  // namespace

int Server::run() {
  FrameReader reader(in_);
  std::string body, error;
  while (!exit_ && !output_gone_) {
    const ReadStatus s = reader.read(body, error);
    if (s == ReadStatus::end_of_input) return 1;  // the client went away without `exit`
    if (s == ReadStatus::bad_frame) {
      log_line("error: " + error + "; the stream cannot be read further, stopping");
      return 1;
    }
    handle(body);
  }
  if (output_gone_) return 1;
  return state_ == State::shut_down ? 0 : 1;
}

void Server::send(const json& message) {
  if (!output_gone_ && !write_frame(out_, json_text(message, -1))) output_gone_ = true;
}

void Server::reply(const json& id, json result) { send({{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}}); }

void Server::reply_error(const json& id, int code, const std::string& message) {
  send({{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", shown_text(message)}}}});
}

void Server::show_message(int type, const std::string& message) {
  send({{"jsonrpc", "2.0"}, {"method", "window/showMessage"}, {"params", {{"type", type}, {"message", message}}}});
}

void Server::handle(const std::string& body) {
  if (json_depth(body) > kMaxJsonDepth) {
    reply_error(nullptr, error_code::invalid_request, "message nests deeper than 64 levels");
    return;
  }
  json msg = json::parse(body, nullptr, false);
  if (msg.is_discarded()) {
    reply_error(nullptr, error_code::parse_error, "the message is not valid JSON");
    return;
  }
  if (!msg.is_object()) {  // a batch (an array) too: LSP sends none
    reply_error(nullptr, error_code::invalid_request, "a message must be a JSON object");
    return;
  }
  auto id = msg.find("id");
  const bool has_id = id != msg.end();
  if (has_id && !id->is_string() && !id->is_number_integer() && !id->is_null()) {
    reply_error(nullptr, error_code::invalid_request, "'id' must be an integer or a string");
    return;
  }
  const json reply_id = has_id ? *id : json(nullptr);
  auto method = msg.find("method");
  auto version = msg.find("jsonrpc");
  if (version == msg.end() || *version != "2.0" || (method != msg.end() && !method->is_string())) {
    if (has_id || method != msg.end()) reply_error(reply_id, error_code::invalid_request, "not a JSON-RPC 2.0 request");
    return;
  }
  if (method == msg.end()) return;  // a response: this server sends no requests
  static const json no_params;  // null: a request may omit params
  auto found = msg.find("params");
  const json& params = found != msg.end() ? *found : no_params;  // not copied: a didOpen carries the document
  const std::string name = method->get<std::string>();
  try {
    if (has_id) request(reply_id, name, params);
    else notification(name, params);
  } catch (const BadParams& e) {
    if (has_id) reply_error(reply_id, error_code::invalid_params, name + ": " + e.what());
    else log_line(name + ": ignored, " + e.what());
  } catch (const std::exception& e) {  // a bug, not the client's: answer it rather than die
    if (has_id) reply_error(reply_id, error_code::internal_error, name + ": " + e.what());
    else log_line(name + ": internal error: " + e.what());
  }
}

void Server::request(const json& id, const std::string& method, const json& params) {
  if (state_ == State::uninitialized && method != "initialize") {
    reply_error(id, error_code::server_not_initialized, "initialize first");
    return;
  }
  if (state_ == State::shut_down) {
    reply_error(id, error_code::invalid_request, "the server is shut down: only 'exit' is accepted");
    return;
  }
  if (method == "initialize") {
    if (state_ != State::uninitialized) return reply_error(id, error_code::invalid_request, "already initialized");
    reply(id, initialize(params));
    state_ = State::running;
  } else if (method == "shutdown") {
    state_ = State::shut_down;
    reply(id, nullptr);
  } else if (method == "textDocument/codeAction") {
    const std::string uri = document_uri(params);
    const OpenDocument* doc = docs_.find(uri);
    if (!doc) return reply(id, json::array());
    CodeActionRequest req{uri, range_at(params, "range"), {}};
    if (auto ctx = params.find("context"); ctx != params.end() && ctx->is_object())
      if (auto only = ctx->find("only"); only != ctx->end() && only->is_array())
        for (const auto& k : *only)
          if (k.is_string()) req.only.push_back(k.get<std::string>());
    reply(id, code_actions(req, checked(uri, *doc), enc_));
  } else if (method == "textDocument/hover") {
    const std::string uri = document_uri(params);
    const OpenDocument* doc = docs_.find(uri);
    const Position at = position_at(params, "position");
    auto h = doc ? hover(document_path(uri).first, doc->text, at, enc_) : std::nullopt;
    if (!h) return reply(id, nullptr);
    reply(id, {{"contents", {{"kind", "markdown"}, {"value", h->markdown}}}, {"range", json_of(h->range)}});
  } else if (method == "textDocument/completion") {
    const std::string uri = document_uri(params);
    const OpenDocument* doc = docs_.find(uri);
    const Position at = position_at(params, "position");
    reply(id, doc ? completion(doc->text, at, enc_) : json{{"isIncomplete", false}, {"items", json::array()}});
  } else {
    reply_error(id, error_code::method_not_found, "unknown method '" + method + "'");
  }
}

json Server::initialize(const json& params) {
  // LSP 3.17 general.positionEncodings: UTF-8 when the client offers it (planner counts bytes),
  // else UTF-16, which every client must support.
  enc_ = Encoding::utf16;
  if (params.is_object())
    if (auto caps = params.find("capabilities"); caps != params.end() && caps->is_object())
      if (auto general = caps->find("general"); general != caps->end() && general->is_object())
        if (auto encs = general->find("positionEncodings"); encs != general->end() && encs->is_array())
          for (const auto& e : *encs)
            if (e == "utf-8") enc_ = Encoding::utf8;
  return {{"capabilities",
           {{"positionEncoding", enc_ == Encoding::utf8 ? "utf-8" : "utf-16"},
            // TextDocumentSyncKind.Incremental = 2
            {"textDocumentSync", {{"openClose", true}, {"change", 2}, {"save", {{"includeText", false}}}}},
            {"codeActionProvider", {{"codeActionKinds", {"quickfix", kFixAllKind}}}},
            {"hoverProvider", true},
            {"completionProvider", {{"resolveProvider", false}}}}},
          {"serverInfo", {{"name", "planner"}, {"version", PLANNER_VERSION}}}};
}

void Server::notification(const std::string& method, const json& params) {
  if (method == "exit") {
    exit_ = true;
    return;
  }
  if (state_ != State::running) return;  // before initialize or after shutdown: dropped (LSP 3.17)
  if (method == "textDocument/didOpen") {
    const json& doc = object_at(params, "textDocument");
    const std::string uri = string_at(doc, "uri");
    const auto version = doc.find("version");
    const long long v = version != doc.end() && version->is_number_integer() ? version->get<long long>() : 0;
    const std::string why = docs_.open(uri, string_at(doc, "text"), v);
    if (!why.empty()) return show_message(1, "planner: " + shown_value(uri) + " not checked: " + why);
    publish(uri);
  } else if (method == "textDocument/didChange") {
    did_change(params);
  } else if (method == "textDocument/didSave") {
    const std::string uri = document_uri(params);
    if (docs_.find(uri)) publish(uri);  // model files beside it may have changed with it
  } else if (method == "textDocument/didClose") {
    const std::string uri = document_uri(params);
    docs_.close(uri);
    checked_.erase(uri);
    send({{"jsonrpc", "2.0"}, {"method", "textDocument/publishDiagnostics"},
          {"params", {{"uri", uri}, {"diagnostics", json::array()}}}});
  }
  // Anything else (initialized, $/cancelRequest, $/setTrace, workspace/...): nothing to do.
}

void Server::did_change(const json& params) {
  const std::string uri = document_uri(params);
  const json& td = object_at(params, "textDocument");
  const long long version = td.contains("version") && td["version"].is_number_integer() ? td["version"].get<long long>() : 0;
  auto changes = params.find("contentChanges");
  if (changes == params.end() || !changes->is_array()) throw BadParams("'contentChanges' must be an array");
  if (!docs_.find(uri)) return;
  for (const auto& c : *changes) {
    TextChange change;
    change.text = string_at(c, "text");
    if (c.contains("range")) {
      change.has_range = true;
      const Range r = range_at(c, "range");
      change.start = r.start, change.end = r.end;
    }
    if (const std::string why = docs_.change(uri, change, version, enc_); !why.empty()) {
      // The client's text and ours now differ: say so rather than check a text nobody sees.
      show_message(1, "planner: " + shown_value(uri) + ": " + why + "; reopen the file to check it again");
      break;
    }
  }
  publish(uri);
}

const CheckedDocument& Server::checked(const std::string& uri, const OpenDocument& doc, bool fresh) {
  auto it = checked_.find(uri);
  if (!fresh && it != checked_.end() && it->second.result.doc.text == doc.text) return it->second;
  const auto [path, is_file] = document_path(uri);
  CheckedDocument c = check_document(path, is_file, doc.text);
  if (!c.settings_errors.empty()) {
    const std::string message = "planner: settings ignored: " + shown_text(join(c.settings_errors, "; "));
    if (message != settings_message_) show_message(1, message);
    settings_message_ = message;
  }
  return checked_[uri] = std::move(c);
}

void Server::publish(const std::string& uri) {
  const OpenDocument* doc = docs_.find(uri);
  if (!doc) return;
  const CheckedDocument& c = checked(uri, *doc, true);
  send({{"jsonrpc", "2.0"},
        {"method", "textDocument/publishDiagnostics"},
        {"params", {{"uri", uri}, {"version", doc->version}, {"diagnostics", to_lsp_diagnostics(c.result, enc_)}}}});
}

}  // namespace planner::lsp
