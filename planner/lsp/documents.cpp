#include "lsp/documents.h"

namespace planner::lsp {

namespace {
constexpr const char* kTooLarge = "document larger than 64 MiB";
constexpr const char* kTooMuch = "open documents would hold more than 256 MiB: close some";
}  // namespace

std::string DocumentStore::open(const std::string& uri, std::string text, long long version) {
  auto it = docs_.find(uri);
  if (it == docs_.end() && docs_.size() >= kMaxDocuments) return "more than 1000 documents open";
  if (text.size() > kMaxDocumentBytes) return kTooLarge;
  const std::size_t old_size = it == docs_.end() ? 0 : it->second.text.size();
  if (!fits(old_size, text.size())) return kTooMuch;
  total_ = total_ - old_size + text.size();
  docs_[uri] = OpenDocument{std::move(text), version};
  return "";
}

void DocumentStore::close(const std::string& uri) {
  if (auto it = docs_.find(uri); it != docs_.end()) {
    total_ -= it->second.text.size();
    docs_.erase(it);
  }
}

std::string DocumentStore::change(const std::string& uri, const TextChange& c, long long version, Encoding enc) {
  auto it = docs_.find(uri);
  if (it == docs_.end()) return "change to a document that is not open";
  OpenDocument& doc = it->second;
  const std::size_t old_size = doc.text.size();
  if (!c.has_range) {
    if (c.text.size() > kMaxDocumentBytes) return kTooLarge;
    if (!fits(old_size, c.text.size())) return kTooMuch;
    doc.text = c.text;
  } else {
    const LineIndex index(doc.text);
    const std::size_t begin = index.offset(c.start, enc), end = index.offset(c.end, enc);
    if (begin > end) return "change range ends before it starts";
    const std::size_t new_size = old_size - (end - begin) + c.text.size();
    if (new_size > kMaxDocumentBytes) return kTooLarge;
    if (!fits(old_size, new_size)) return kTooMuch;
    doc.text.replace(begin, end - begin, c.text);
  }
  total_ = total_ - old_size + doc.text.size();
  doc.version = version;
  return "";
}

const OpenDocument* DocumentStore::find(const std::string& uri) const {
  auto it = docs_.find(uri);
  return it == docs_.end() ? nullptr : &it->second;
}

}  // namespace planner::lsp
