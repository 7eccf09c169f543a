#pragma once
// Error codes of JSON-RPC 2.0 (section 5.1) and the LSP 3.17 specification ("ErrorCodes").
namespace planner::lsp::error_code {

inline constexpr int parse_error = -32700;      // the body is not JSON
inline constexpr int invalid_request = -32600;  // JSON, but not a request (or one out of turn)
inline constexpr int method_not_found = -32601;
inline constexpr int invalid_params = -32602;
inline constexpr int internal_error = -32603;
inline constexpr int server_not_initialized = -32002;  // a request before initialize

}  // namespace planner::lsp::error_code
