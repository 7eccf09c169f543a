#include "launch/names.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>

namespace planner {

namespace {
bool word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
bool id_char(char c) { return word_char(c) || c == '-' || c == '.'; }

// Hugging Face's REPO_ID_REGEX caps the name at 96; planner caps the namespace the same way.
constexpr std::size_t kRepoPartMax = 96;
constexpr std::size_t kComponentMax = 80;
}  // namespace

std::string repo_id_problem(std::string_view id) {
  if (id.empty()) return "it is empty";
  const std::size_t slash = id.find('/');
  if (slash != std::string_view::npos && id.find('/', slash + 1) != std::string_view::npos)
    return "it has more than one '/' (a repo id is NAME or NAMESPACE/NAME)";
  for (std::string_view part : {slash == std::string_view::npos ? std::string_view() : id.substr(0, slash),
                                slash == std::string_view::npos ? id : id.substr(slash + 1)}) {
    if (slash == std::string_view::npos && part.empty()) continue;  // no namespace
    if (part.empty()) return "a part around '/' is empty";
    if (part.size() > kRepoPartMax) return fmt::format("a part is longer than {} characters", kRepoPartMax);
    for (char c : part)
      if (!id_char(c)) return "it may hold only letters, digits, '-', '_' and '.'";
    if (!word_char(part.front()) || !word_char(part.back()))
      return "a part starts or ends with '-' or '.'";
  }
  if (id.find("--") != std::string_view::npos || id.find("..") != std::string_view::npos)
    return "it holds '--' or '..'";
  if (id.size() >= 4 && id.substr(id.size() - 4) == ".git") return "it ends in '.git'";
  return "";
}

std::string path_component(std::string_view name, std::string_view fallback) {
  std::string out;
  out.reserve(std::min(name.size(), kComponentMax));
  for (char c : name) {
    // A '.' after a '.' becomes '_' too: no ".." is left, even inside the name.
    out += id_char(c) && !(c == '.' && !out.empty() && out.back() == '.') ? c : '_';
    if (out.size() > kComponentMax) break;
  }
  if (!out.empty() && (out.front() == '.' || out.front() == '-')) out.front() = '_';
  if (out.empty()) return std::string(fallback);
  if (out.size() > kComponentMax) {
    std::uint32_t h = 2166136261u;  // FNV-1a, 32 bits, over the whole name
    for (char c : name) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
    out = fmt::format("{}-{:08x}", out.substr(0, kComponentMax - 9), h);
  }
  return out;
}

std::string not_an_option(std::string path) {
  if (!path.empty() && path.front() == '-') return "./" + path;
  return path;
}

}  // namespace planner
