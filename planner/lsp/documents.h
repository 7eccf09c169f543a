#pragma once
// The open documents, by URI, as the client last sent them (didOpen, then didChange's full or
// incremental changes). Bounded: at most kMaxDocuments open and kMaxDocumentBytes each.
#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "lsp/position.h"

namespace planner::lsp {

inline constexpr std::size_t kMaxDocuments = 1000;
inline constexpr std::size_t kMaxDocumentBytes = 64u << 20;  // as one message may carry (framing.h)

struct OpenDocument {
  std::string text;
  long long version = 0;
};

// One change of didChange: the whole text (no range), or the text replacing a range.
struct TextChange {
  bool has_range = false;
  Position start, end;
  std::string text;
};

class DocumentStore {
 public:
  // "" when stored, else why not (too many documents, too large).
  std::string open(const std::string& uri, std::string text, long long version);
  // Applies one change in order; "" when applied, else why not (the document is then left as it
  // was before this change, and the caller says so).
  std::string change(const std::string& uri, const TextChange& change, long long version, Encoding enc);
  void close(const std::string& uri) { docs_.erase(uri); }
  const OpenDocument* find(const std::string& uri) const;

 private:
  std::map<std::string, OpenDocument> docs_;
};

}  // namespace planner::lsp
