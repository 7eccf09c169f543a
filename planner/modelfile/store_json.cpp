#include "modelfile/store_json.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <system_error>

#include "core/errno_text.h"
#include "modelfile/safetensors.h"

namespace planner {

namespace fs = std::filesystem;

std::string file_problem(const fs::path& p) {
  std::error_code ec;
  const fs::file_status st = fs::status(p, ec);  // follows symlinks: a loop is ELOOP here
  if (ec) return error_text(ec);
  if (st.type() == fs::file_type::not_found) return "No such file or directory";
  if (st.type() == fs::file_type::directory) return "is a directory, not a file";
  if (st.type() != fs::file_type::regular) return "is not a regular file";
  return "";
}

std::string read_small_file(const fs::path& file, std::uint64_t max_bytes, const char* what) {
  if (std::string why = file_problem(file); !why.empty())
    throw std::runtime_error(file.string() + ": " + why);
  std::error_code ec;
  const std::uintmax_t size = fs::file_size(file, ec);
  if (ec) throw std::runtime_error(file.string() + ": " + error_text(ec));
  if (size > max_bytes)
    throw std::runtime_error(file.string() + ": " + std::to_string(size) + " bytes, over the limit of " +
                             std::to_string(max_bytes) + " for " + what);
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error(file.string() + ": " + errno_text(errno));
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  text.resize(static_cast<std::size_t>(in.gcount()));  // a file that shrank while read
  return text;
}

nlohmann::json read_store_json(const fs::path& file, std::uint64_t max_bytes, const char* what) {
  const std::string text = read_small_file(file, max_bytes, what);
  // Manifests and params nest three deep (root, layers, layer); settings.json a few more.
  constexpr int kMaxNesting = 16;
  // A manifest of Ollama's safetensors format lists one layer per tensor, ~5 values each:
  // Kimi K2's ~140,000 tensors stay under this.
  constexpr std::uint64_t kMaxValues = 1ULL << 20;
  const JsonScan scan = json_scan(text, kMaxNesting, kMaxValues);
  const std::string at = file.string() + ": byte ";
  if (scan.depth > kMaxNesting)
    throw std::runtime_error(at + std::to_string(scan.depth_at) + ": " + what + " nests deeper than " +
                             std::to_string(kMaxNesting) + " levels");
  if (scan.values > kMaxValues)
    throw std::runtime_error(at + std::to_string(scan.values_at) + ": " + what + " holds more than " +
                             std::to_string(kMaxValues) + " JSON values (the limit)");
  try {
    return nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::exception& e) {
    std::string msg = e.what();
    if (auto p = msg.find("] "); p != std::string::npos) msg = msg.substr(p + 2);
    if (msg.rfind("parse error at ", 0) == 0)  // the line and column repeat the byte offset
      if (auto p = msg.find(": "); p != std::string::npos) msg = msg.substr(p + 2);
    const auto* pe = dynamic_cast<const nlohmann::json::parse_error*>(&e);
    const std::size_t byte = pe && pe->byte > 0 ? pe->byte - 1 : 0;
    throw std::runtime_error(at + std::to_string(byte) + ": " + what + " is not valid JSON: " + msg);
  }
}

}  // namespace planner
