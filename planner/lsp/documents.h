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
inline constexpr std::size_t kMaxTotalBytes = 256u << 20;

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
  void close(const std::string& uri);
  const OpenDocument* find(const std::string& uri) const;

 private:
  // Whether replacing `old_size` bytes by `new_size` stays within kMaxTotalBytes.
  bool fits(std::size_t old_size, std::size_t new_size) const { return total_ - old_size + new_size <= kMaxTotalBytes; }
  std::map<std::string, OpenDocument> docs_;
  std::size_t total_ = 0;  // the bytes of every open document
};

}  // namespace planner::lsp
